package dev.kiln.client.remote;

import dev.kiln.goma.FileBlobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Goma hash keys of input files, remembered by path, size and modification time so that a header
 * read by hundreds of compiles is hashed once. A file modified within the last two seconds is not
 * remembered (a write in the same timestamp tick could go unnoticed), as git and ccache do.
 */
public final class FileHashes {
  private static final Duration RACY = Duration.ofSeconds(2);

  private record Stamp(long size, long mtimeNanos, String key) {}

  /** A file's hash key, and its content when it had to be read now (null when the key was remembered). */
  public record Hashed(String key, byte[] content) {}

  private final Map<Path, Stamp> stamps = new ConcurrentHashMap<>();
  private final Clock clock;

  public FileHashes(Clock clock) {
    this.clock = clock;
  }

  public Hashed hash(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    Stamp s = stamps.get(file);
    if (s != null && s.size() == a.size() && s.mtimeNanos() == mtime) {
      return new Hashed(s.key(), null);
    }
    byte[] content = Files.readAllBytes(file);
    String key = FileBlobs.hashKey(FileBlobs.split(content).top());
    if (content.length == a.size() && clock.millis() - TimeUnit.NANOSECONDS.toMillis(mtime) > RACY.toMillis()) {
      stamps.put(file, new Stamp(a.size(), mtime, key));
    }
    return new Hashed(key, content);
  }
}
