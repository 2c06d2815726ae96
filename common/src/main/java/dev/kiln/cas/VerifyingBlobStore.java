package dev.kiln.cas;

import com.google.rpc.Code;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The front of every CAS Kiln serves: refuses a write whose bytes do not match their digest
 * (INVALID_ARGUMENT, nothing stored) or exceed the blob size limit, and behaves as if the empty
 * blob is always present, as the REAPI spec asks (Bazel never uploads it).
 */
public final class VerifyingBlobStore implements BlobStore {
  /** The largest blob the farm's CAS accepts unless configured otherwise; front nodes and workers share it. */
  public static final long DEFAULT_MAX_BLOB_BYTES = 256L << 20;

  private final BlobStore delegate;
  private final long maxBlobBytes;

  public VerifyingBlobStore(BlobStore delegate, long maxBlobBytes) {
    this.delegate = delegate;
    this.maxBlobBytes = maxBlobBytes;
  }

  public long maxBlobBytes() {
    return maxBlobBytes;
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(Digest digest) {
    if (digest.size() == 0) {
      return emptyOrMismatch(digest);
    }
    return delegate.get(digest);
  }

  @Override
  public CompletionStage<Optional<byte[]>> getByHash(String sha256Hex) {
    if (Digest.EMPTY.hash().equals(sha256Hex)) {
      return CompletableFuture.completedFuture(Optional.of(new byte[0]));
    }
    return delegate.getByHash(sha256Hex);
  }

  @Override
  public CompletionStage<Void> put(Digest digest, byte[] data) {
    return Futures.attempt(() -> {
      if (data.length > maxBlobBytes) {
        throw FarmException.of(Code.INVALID_ARGUMENT, "blob %s has %d bytes, over the CAS limit of %d", digest, data.length, maxBlobBytes);
      }
      digest.verify(data);
      return digest.size() == 0 ? CompletableFuture.completedFuture(null) : delegate.put(digest, data);
    });
  }

  @Override
  public CompletionStage<Set<Digest>> findMissing(Collection<Digest> digests) {
    Set<Digest> nonEmpty = new LinkedHashSet<>();
    for (Digest d : digests) {
      if (!Digest.EMPTY.equals(d)) {
        nonEmpty.add(d);
      }
    }
    return delegate.findMissing(nonEmpty);
  }

  private static CompletionStage<Optional<byte[]>> emptyOrMismatch(Digest digest) {
    return CompletableFuture.completedFuture(Digest.EMPTY.equals(digest) ? Optional.of(new byte[0]) : Optional.empty());
  }
}
