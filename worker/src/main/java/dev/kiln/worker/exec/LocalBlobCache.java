package dev.kiln.worker.exec;

import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The worker-local disk tier of the CAS: blobs fetched once from the shared CAS are kept as files
 * named by hash, so repeated inputs (headers, toolchain files) are not fetched again. Files
 * appear atomically (temp file + rename) and are never modified.
 */
public final class LocalBlobCache {
  private final Path dir;
  private final BlobStore cas;

  public LocalBlobCache(Path dir, BlobStore cas) {
    this.dir = dir;
    this.cas = cas;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes sure every digest is on local disk; fails with MISSING for blobs the CAS lacks. */
  public void ensure(Collection<Digest> digests) {
    List<Digest> absent = new ArrayList<>();
    for (Digest d : digests) {
      if (!Files.exists(path(d))) {
        absent.add(d);
      }
    }
    List<CompletionStage<byte[]>> fetches = new ArrayList<>();
    for (Digest d : absent) {
      fetches.add(cas.getRequired(d));
    }
    List<byte[]> blobs = Futures.await(Futures.all(fetches));
    for (int i = 0; i < absent.size(); i++) {
      store(absent.get(i), blobs.get(i));
    }
  }

  /** The local file holding {@code digest} (after {@link #ensure}). */
  public Path path(Digest digest) {
    return dir.resolve(digest.hash().substring(0, 2)).resolve(digest.hash());
  }

  private void store(Digest d, byte[] data) {
    d.verify(data);
    Path target = path(d);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(d.hash() + "." + UUID.randomUUID() + ".tmp");
      Files.write(tmp, data);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw FarmException.internal("Failed to cache blob %s locally: %s", d, e);
    }
  }
}
