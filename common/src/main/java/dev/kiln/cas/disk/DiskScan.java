package dev.kiln.cas.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a disk tier directory holds at start-up: its value files, least recently used first (by
 * modification time). Temp files left by a crash mid-write are deleted; anything else that is not
 * a value file is left alone and not counted.
 */
public final class DiskScan {
  public static final String TMP_SUFFIX = ".tmp";

  public record Entry(String name, long bytes, long modifiedMillis) {}

  private DiskScan() {}

  public static List<Entry> scan(Path dir) {
    List<Entry> entries = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.walk(dir, 2)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          String name = p.getFileName().toString();
          if (name.endsWith(TMP_SUFFIX)) {
            Files.deleteIfExists(p);
            continue;
          }
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile() && DiskFormat.isFileName(name) && p.getParent().getFileName().toString().equals(name.substring(0, 2))) {
            entries.add(new Entry(name, a.size(), a.lastModifiedTime().toMillis()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("scanning disk tier " + dir + " failed", e);
    }
    entries.sort(Comparator.comparingLong(Entry::modifiedMillis));
    return entries;
  }
}
