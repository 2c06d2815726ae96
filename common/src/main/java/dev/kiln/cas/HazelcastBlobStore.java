package dev.kiln.cas;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.cas.disk.DiskTier;
import dev.kiln.cas.disk.DiskTiers;
import dev.kiln.common.Digest;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shared CAS in a Hazelcast map (key the SHA-256 hex, value the bytes). Backups, size
 * limit and LRU eviction come from broker-config's {@code hazelcast.yaml}. All calls are async.
 * On members with a disk tier (ADR 0011) a memory miss reads the disk, and {@link #findMissing}
 * marks what it finds as just used in both tiers, so a blob a client was told exists stays.
 */
public final class HazelcastBlobStore implements BlobStore {
  private final IMap<String, byte[]> map;

  public HazelcastBlobStore(HazelcastInstance hz) {
    this.map = hz.getMap(HazelcastShape.CAS_MAP);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(Digest digest) {
    return map.getAsync(digest.hash()).thenApply(b -> Optional.ofNullable(b).filter(x -> x.length == digest.size()));
  }

  @Override
  public CompletionStage<Optional<byte[]>> getByHash(String sha256Hex) {
    return map.getAsync(sha256Hex).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> put(Digest digest, byte[] data) {
    return map.setAsync(digest.hash(), data);
  }

  @Override
  public CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests) {
    if (digests.isEmpty()) {
      return CompletableFuture.completedFuture(Set.of());
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Digest d : digests) {
      keys.add(d.hash());
    }
    return map.submitToKeys(keys, new Presence()).thenApply(sizes -> {
      Set<Digest> missing = new LinkedHashSet<>();
      for (Digest d : digests) {
        Long size = sizes.get(d.hash());
        if (size == null || size != d.size()) {
          missing.add(d);
        }
      }
      return missing;
    });
  }

  /**
   * Runs on the partition owner and answers only the entry's size (null when absent). A memory
   * miss loads from the disk tier (which marks it used there); a memory hit marks it used on this
   * member's disk too.
   */
  static final class Presence implements EntryProcessor<String, byte[], Long>, ReadOnly, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private transient HazelcastInstance hz;

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
      this.hz = hz;
    }

    @Override
    public Long process(Map.Entry<String, byte[]> entry) {
      byte[] v = entry.getValue();
      if (v == null) {
        return null;
      }
      DiskTier disk = hz == null ? null : DiskTiers.local(hz, HazelcastShape.CAS_MAP);
      if (disk != null) {
        disk.touch(entry.getKey());
      }
      return (long) v.length;
    }

    @Override
    public EntryProcessor<String, byte[], Long> getBackupProcessor() {
      return null;
    }
  }
}
