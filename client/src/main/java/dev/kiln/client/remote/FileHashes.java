package dev.kiln.client.remote;

import dev.kiln.common.FileStamp;
import dev.kiln.goma.FileBlobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Goma hash keys of input files, remembered by path, size and modification time so that a header
 * read by hundreds of compiles is hashed once. A racily modified file ({@link FileStamp#racy}) is
 * not remembered.
 */
public final class FileHashes {
  private record Known(FileStamp stamp, String key) {}

  /** A file's hash key, and its content when it had to be read now (null when the key was remembered). */
  public record Hashed(String key, byte[] content) {}

  private final Map<Path, Known> known = new ConcurrentHashMap<>();
  private final Clock clock;

  public FileHashes(Clock clock) {
    this.clock = clock;
  }

  public Hashed hash(Path file) throws IOException {
    FileStamp stamp = FileStamp.of(file);
    Known k = known.get(file);
    if (k != null && k.stamp().equals(stamp)) {
      return new Hashed(k.key(), null);
    }
    byte[] content = Files.readAllBytes(file);
    String key = FileBlobs.hashKey(FileBlobs.split(content).top());
    if (content.length == stamp.size() && !stamp.racy(clock)) {
      known.put(file, new Known(stamp, key));
    }
    return new Hashed(key, content);
  }
}
