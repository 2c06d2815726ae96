package dev.kiln.worker.exec;

import dev.kiln.cas.BlobStore;
import dev.kiln.cas.disk.ByteLru;
import dev.kiln.cas.disk.DiskScan;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * appear atomically (temp file + rename) and are never modified. The cache holds at most its byte
 * budget (least recently used out first, order resumed from modification times after a restart);
 * one blob larger than the whole budget is still kept until the next one arrives. A file another
 * slot evicted between {@link #ensure} and {@link #copyTo} is fetched again.
 */
public final class LocalBlobCache {
  /** The budget when none is configured: 10 GiB. */
  public static final long DEFAULT_BUDGET_BYTES = 10L << 30;
  private static final int COPY_ATTEMPTS = 3;

  private final Path dir;
  private final BlobStore cas;
  private final ByteLru lru;

  public LocalBlobCache(Path dir, BlobStore cas) {
    this(dir, cas, DEFAULT_BUDGET_BYTES);
  }

  public LocalBlobCache(Path dir, BlobStore cas, long budgetBytes) {
    this.dir = dir;
    this.cas = cas;
    this.lru = new ByteLru(budgetBytes);
    for (DiskScan.Entry e : DiskScan.scan(dir)) {
      deleteAll(lru.add(e.name(), e.bytes()));
    }
  }

  /** Makes sure every digest is on local disk; fails with MISSING for blobs the CAS lacks. */
  public void ensure(Collection<Digest> digests) {
    List<Digest> absent = new ArrayList<>();
    synchronized (lru) {
      for (Digest d : digests) {
        if (!lru.touch(d.hash())) {
          absent.add(d);
        }
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

  /** Copies the cached blob to {@code target} (replacing it), fetching it again if it was evicted. */
  public void copyTo(Digest digest, Path target) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.copy(path(digest), target, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == COPY_ATTEMPTS) {
          throw FarmException.internal("blob %s keeps leaving the local cache (budget %d bytes too small?)", digest, lru.budget());
        }
        synchronized (lru) {
          lru.remove(digest.hash());
        }
        ensure(List.of(digest));
      }
    }
  }

  /** Bytes held now. */
  public long usedBytes() {
    synchronized (lru) {
      return lru.used();
    }
  }

  private Path path(Digest digest) {
    return dir.resolve(digest.hash().substring(0, 2)).resolve(digest.hash());
  }

  private void store(Digest d, byte[] data) {
    d.verify(data);
    Path target = path(d);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(d.hash() + "." + UUID.randomUUID() + DiskScan.TMP_SUFFIX);
      Files.write(tmp, data);
      synchronized (lru) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteAll(lru.add(d.hash(), data.length));
      }
    } catch (IOException e) {
      throw FarmException.internal("Failed to cache blob %s locally: %s", d, e);
    }
  }

  private void deleteAll(List<String> victims) {
    for (String v : victims) {
      try {
        Files.deleteIfExists(dir.resolve(v.substring(0, 2)).resolve(v));
      } catch (IOException e) {
        throw FarmException.internal("Failed to evict %s from the local blob cache: %s", v, e);
      }
    }
  }
}
