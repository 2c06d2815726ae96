package dev.kiln.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A file's size and modification time: what caches of per-file work compare to tell whether the
 * file changed. A file modified within the last two seconds is "racy" (another write in the same
 * timestamp tick would go unnoticed), so nothing derived from it is kept, as git and ccache do.
 */
public record FileStamp(long size, long mtimeNanos) {
  private static final long RACY_MILLIS = 2000;

  public static FileStamp of(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new FileStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  /** Modified too recently for anything derived from it to be remembered. */
  public boolean racy(Clock clock) {
    return clock.millis() - TimeUnit.NANOSECONDS.toMillis(mtimeNanos) <= RACY_MILLIS;
  }
}
