package dev.kiln.cas;

import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Content-addressable storage: blobs by SHA-256 digest. The same small interface backs the
 * in-memory fake, Hazelcast, and the decorators around them (verifying writes, worker-local disk
 * cache). Blobs are keyed by their hash; a digest whose size does not match the stored blob is a
 * miss. Implementations never check the bytes against the digest; {@link VerifyingBlobStore} does.
 */
public interface BlobStore {
  /** The blob, or empty when the store does not hold it. */
  CompletionStage<Optional<byte[]>> get(Digest digest);

  /**
   * The blob whose SHA-256 is {@code sha256Hex}, for protocols that name blobs by hash alone
   * (the Bazel HTTP cache's {@code /cas/{hash}}). SHA-256 fixes the content, hence the size.
   */
  CompletionStage<Optional<byte[]>> getByHash(String sha256Hex);

  /** Stores {@code data} under {@code digest}. */
  CompletionStage<Void> put(Digest digest, byte[] data);

  /** The subset of {@code digests} this store does not hold. */
  CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests);

  /** The blob, or a failed stage with FAILED_PRECONDITION listing it as MISSING. */
  default CompletionStage<byte[]> getRequired(Digest digest) {
    return get(digest).thenApply(b -> b.orElseThrow(() -> FarmException.missingBlobs(Set.of(digest))));
  }
}
