package dev.kiln.cas.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;

/**
 * The Hazelcast partitions one member's disk tier has ever been written for, kept in a small file
 * beside the tier. Other members read it before asking this disk for a key: a partition never
 * written here needs no round trip. Marks are only added (a mark for a partition whose files were
 * all evicted costs one useless lookup, never a lost entry); a mark is on disk before the write it
 * announces.
 */
final class PartitionMarks {
  private final Path file;
  private final BitSet marks;

  PartitionMarks(Path file) {
    this.file = file;
    this.marks = read(file);
  }

  private static BitSet read(Path file) {
    try {
      return BitSet.valueOf(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return new BitSet();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed", e);
    }
  }

  /** Records that {@code partition} has (or will have in a moment) entries on this disk. */
  synchronized void mark(int partition) {
    if (marks.get(partition)) {
      return;
    }
    marks.set(partition);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + DiskScan.TMP_SUFFIX);
      Files.write(tmp, marks.toByteArray());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      marks.clear(partition);
      throw new UncheckedIOException("writing " + file + " failed", e);
    }
  }

  synchronized byte[] toByteArray() {
    return marks.toByteArray();
  }
}
