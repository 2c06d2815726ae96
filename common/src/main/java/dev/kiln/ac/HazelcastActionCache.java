package dev.kiln.ac;

import build.bazel.remote.execution.v2.ActionResult;
import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.common.FarmException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The shared action cache in a Hazelcast map; values are serialized ActionResults. */
public final class HazelcastActionCache implements ActionCache {
  private final IMap<String, byte[]> map;

  public HazelcastActionCache(HazelcastInstance hz) {
    this.map = hz.getMap(HazelcastShape.AC_MAP);
  }

  @Override
  public CompletionStage<Optional<ActionResult>> get(ActionKey key) {
    return map.getAsync(key.key()).thenApply(bytes -> {
      if (bytes == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(ActionResult.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw FarmException.internal("action cache entry %s is corrupt: %s", key.actionHash(), e.getMessage());
      }
    });
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, ActionResult result) {
    return map.setAsync(key.key(), result.toByteArray());
  }
}
