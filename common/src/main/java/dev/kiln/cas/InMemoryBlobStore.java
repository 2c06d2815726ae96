package dev.kiln.cas;

import dev.kiln.common.Digest;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A CAS in a map: the fake for tests and the reference for the contract suite. */
public final class InMemoryBlobStore implements BlobStore {
  private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<byte[]>> get(Digest digest) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blobs.get(digest)));
  }

  @Override
  public CompletionStage<Void> put(Digest digest, byte[] data) {
    blobs.put(digest, data.clone());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests) {
    Set<Digest> missing = new LinkedHashSet<>();
    for (Digest d : digests) {
      if (!blobs.containsKey(d)) {
        missing.add(d);
      }
    }
    return CompletableFuture.completedFuture(missing);
  }

  /** Drops a blob, as eviction would. */
  public void evict(Digest digest) {
    blobs.remove(digest);
  }

  public int size() {
    return blobs.size();
  }
}
