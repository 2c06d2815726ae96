package dev.kiln.goma;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Goma file blobs in a map: the fake for tests. */
public final class InMemoryGomaFileStore implements GomaFileStore {
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<byte[]>> get(String hashKey) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blobs.get(hashKey)));
  }

  @Override
  public CompletionStage<Void> put(String hashKey, byte[] serializedBlob) {
    blobs.put(hashKey, serializedBlob.clone());
    return CompletableFuture.completedFuture(null);
  }
}
