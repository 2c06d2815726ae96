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
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<byte[]>> get(Digest digest) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blobs.get(digest.hash())).filter(b -> b.length == digest.size()));
  }

  @Override
  public CompletionStage<Optional<byte[]>> getByHash(String sha256Hex) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blobs.get(sha256Hex)));
  }

  @Override
  public CompletionStage<Void> put(Digest digest, byte[] data) {
    blobs.put(digest.hash(), data.clone());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests) {
    Set<Digest> missing = new LinkedHashSet<>();
    for (Digest d : digests) {
      byte[] b = blobs.get(d.hash());
      if (b == null || b.length != d.size()) {
        missing.add(d);
      }
    }
    return CompletableFuture.completedFuture(missing);
  }

  /** Drops a blob, as eviction would. */
  public void evict(Digest digest) {
    blobs.remove(digest.hash());
  }

  public int size() {
    return blobs.size();
  }
}
