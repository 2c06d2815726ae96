package dev.kiln.ac;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Opaque action-cache entries in a map: the fake for tests. */
public final class InMemoryOpaqueActionCache implements OpaqueActionCache {
  private final Map<String, byte[]> entries = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<byte[]>> get(ActionKey key) {
    return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(key.key())));
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, byte[] value) {
    entries.put(key.key(), value.clone());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> delete(ActionKey key) {
    entries.remove(key.key());
    return CompletableFuture.completedFuture(null);
  }
}
