package dev.kiln.ac;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Opaque action-cache entries in the Hazelcast map {@code kiln-ac-raw}. */
public final class HazelcastOpaqueActionCache implements OpaqueActionCache {
  private final IMap<String, byte[]> map;

  public HazelcastOpaqueActionCache(HazelcastInstance hz) {
    this.map = hz.getMap(HazelcastShape.RAW_AC_MAP);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(ActionKey key) {
    return map.getAsync(key.key()).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, byte[] value) {
    return map.setAsync(key.key(), value);
  }

  @Override
  public CompletionStage<Void> delete(ActionKey key) {
    return map.deleteAsync(key.key()).thenApply(x -> null);
  }
}
