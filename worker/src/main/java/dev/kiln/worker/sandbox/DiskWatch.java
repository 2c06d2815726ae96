package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Polls how much an exec root holds while its action runs (walking it without following links,
 * at most once a second) and names the limit once it is over it. The kernel has no per-directory
 * quota that works everywhere; this is the portable bound, with a reaction time of about a second.
 */
final class DiskWatch {
  private static final long INTERVAL_NANOS = 1_000_000_000L;
  private final Path root;
  private final long maxBytes;
  private long nextCheck = System.nanoTime() + INTERVAL_NANOS / 4;

  DiskWatch(Path root, long maxBytes) {
    this.root = root;
    this.maxBytes = maxBytes;
  }

  Optional<String> check() {
    long now = System.nanoTime();
    if (now < nextCheck) {
      return Optional.empty();
    }
    nextCheck = now + INTERVAL_NANOS;
    return size(root, maxBytes) > maxBytes
        ? Optional.of("its exec root disk limit of " + (maxBytes >> 20) + " MiB") : Optional.empty();
  }

  /**
   * Bytes of the regular files below {@code root}, counting stops just past {@code stopAbove}. A
   * tree that cannot be walked (a path nested past PATH_MAX, an unreadable directory) counts as
   * over the limit: what cannot be measured cannot be allowed to grow.
   */
  static long size(Path root, long stopAbove) {
    long[] total = {0};
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.isRegularFile() ? attrs.size() : 0;
          return total[0] > stopAbove ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          total[0] = stopAbove + 1;
          return FileVisitResult.TERMINATE;
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      return stopAbove + 1;
    }
    return total[0];
  }
}
