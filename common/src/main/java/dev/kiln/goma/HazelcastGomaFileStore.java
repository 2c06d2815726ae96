package dev.kiln.goma;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Goma file blobs in the Hazelcast map {@code kiln-goma-files}. */
public final class HazelcastGomaFileStore implements GomaFileStore {
  private final IMap<String, byte[]> map;

  public HazelcastGomaFileStore(HazelcastInstance hz) {
    this.map = hz.getMap(HazelcastShape.GOMA_FILES_MAP);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(String hashKey) {
    return map.getAsync(hashKey).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> put(String hashKey, byte[] serializedBlob) {
    return map.setAsync(hashKey, serializedBlob);
  }
}
