package dev.kiln.cas.disk;

import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One member per data dir: an exclusive lock on {@code <dir>/.lock}, held until the member shuts
 * down. Two members on one directory would each keep their own LRU books and delete each other's
 * files; the second one is refused at start-up instead.
 */
final class DirectoryLock implements LifecycleListener {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirectoryLock acquire(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new IllegalStateException("the cache data dir " + dir + " is in use by another cache member; give each member its own --data-dir");
      }
      return new DirectoryLock(ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the cache data dir " + dir, e);
    }
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
      release();
    }
  }

  void release() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is leaving; the OS drops the lock with it
    }
  }
}
