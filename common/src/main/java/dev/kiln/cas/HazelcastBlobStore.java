package dev.kiln.cas;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.common.Digest;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shared CAS in a Hazelcast map (key {@code hash/size}, value the bytes). Backups, size
 * limit and LRU eviction come from broker-config's {@code hazelcast.yaml}. All calls are async.
 */
public final class HazelcastBlobStore implements BlobStore {
  private final IMap<String, byte[]> map;

  public HazelcastBlobStore(HazelcastInstance hz) {
    this.map = hz.getMap(HazelcastShape.CAS_MAP);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(Digest digest) {
    return map.getAsync(digest.key()).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> put(Digest digest, byte[] data) {
    return map.setAsync(digest.key(), data);
  }

  @Override
  public CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests) {
    if (digests.isEmpty()) {
      return CompletableFuture.completedFuture(Set.of());
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Digest d : digests) {
      keys.add(d.key());
    }
    return map.submitToKeys(keys, new Presence()).thenApply(present -> {
      Set<Digest> missing = new LinkedHashSet<>();
      for (Digest d : digests) {
        if (!Boolean.TRUE.equals(present.get(d.key()))) {
          missing.add(d);
        }
      }
      return missing;
    });
  }

  /** Runs on the partition owner and answers only whether the entry exists. */
  static final class Presence implements EntryProcessor<String, byte[], Boolean>, ReadOnly {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
      return entry.getValue() != null;
    }

    @Override
    public EntryProcessor<String, byte[], Boolean> getBackupProcessor() {
      return null;
    }
  }
}
