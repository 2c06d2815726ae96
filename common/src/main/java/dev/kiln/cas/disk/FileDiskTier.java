package dev.kiln.cas.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DiskTier} in a directory: one file per value under {@code xx/<64 hex>} (first two hex
 * characters as a fan-out directory), written to a temp file and renamed into place. The LRU order
 * lives in memory and in the files' modification times, so a restart on the same directory
 * ({@link DiskScan}) resumes it; leftover temp files from a crash are deleted then. Renames,
 * index updates and evictions happen under one lock, so an eviction never deletes a file a
 * concurrent write just renamed in; reads and temp-file writes run outside it.
 */
public final class FileDiskTier implements DiskTier {
  private static final Logger LOG = LoggerFactory.getLogger(FileDiskTier.class);

  private final Path dir;
  private final DiskFormat format;
  private final Clock clock;
  private final ByteLru lru;
  private final Object lock = new Object();

  public FileDiskTier(Path dir, long budgetBytes, DiskFormat format, Clock clock) {
    this.dir = dir;
    this.format = format;
    this.clock = clock;
    this.lru = new ByteLru(budgetBytes);
    for (DiskScan.Entry e : DiskScan.scan(dir)) {
      deleteAll(lru.add(e.name(), e.bytes()));
    }
    LOG.info("disk tier {}: {} entries, {} of {} bytes", dir, lru.count(), lru.used(), budgetBytes);
  }

  @Override
  public Optional<byte[]> read(String key) {
    String name = format.fileName(key);
    synchronized (lock) {
      if (!lru.contains(name)) {
        return Optional.empty();
      }
    }
    byte[] file;
    try {
      file = Files.readAllBytes(path(name));
    } catch (NoSuchFileException e) {
      forget(name);
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional<byte[]> value = format.decode(name, file);
    if (value.isEmpty()) {
      dropIfStillCorrupt(name);
      return value;
    }
    touchName(name);
    return value;
  }

  @Override
  public void write(String key, byte[] value) {
    String name = format.fileName(key);
    byte[] file = format.encode(value);
    if (!lru.fits(file.length)) {
      throw new IllegalArgumentException("a value of " + file.length + " bytes exceeds the disk tier's whole budget of " + lru.budget());
    }
    if (format == DiskFormat.CONTENT_ADDRESSED && touchName(name)) {
      return;
    }
    Path target = path(name);
    Path tmp = target.resolveSibling(name + "." + UUID.randomUUID() + DiskScan.TMP_SUFFIX);
    try {
      Files.createDirectories(target.getParent());
      Files.write(tmp, file);
      Files.setLastModifiedTime(tmp, FileTime.from(clock.instant()));
      synchronized (lock) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteAll(lru.add(name, file.length));
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  @Override
  public boolean touch(String key) {
    return touchName(format.fileName(key));
  }

  @Override
  public void delete(String key) {
    String name = format.fileName(key);
    synchronized (lock) {
      lru.remove(name);
      deleteQuietly(path(name));
    }
  }

  @Override
  public long usedBytes() {
    synchronized (lock) {
      return lru.used();
    }
  }

  private boolean touchName(String name) {
    synchronized (lock) {
      if (!lru.touch(name)) {
        return false;
      }
    }
    try {
      Files.setLastModifiedTime(path(name), FileTime.from(clock.instant()));
      return true;
    } catch (NoSuchFileException e) {
      forget(name);
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void forget(String name) {
    synchronized (lock) {
      if (!Files.exists(path(name))) {
        lru.remove(name);
      }
    }
  }

  /** Deletes a file that failed verification, unless a write replaced it since it was read. */
  private void dropIfStillCorrupt(String name) {
    synchronized (lock) {
      try {
        byte[] again = Files.readAllBytes(path(name));
        if (format.decode(name, again).isPresent()) {
          return;
        }
      } catch (IOException e) {
        // gone or unreadable: drop it below
      }
      LOG.warn("disk tier {}: {} failed verification; deleted (a miss)", dir, name);
      lru.remove(name);
      deleteQuietly(path(name));
    }
  }

  private void deleteAll(List<String> victims) {
    for (String v : victims) {
      deleteQuietly(path(v));
    }
  }

  private Path path(String name) {
    return dir.resolve(name.substring(0, 2)).resolve(name);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", p, e.toString());
    }
  }
}
