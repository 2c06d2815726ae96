package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where exec roots can live when actions run as the unprivileged sandbox user: bubblewrap, started
 * as that user, must be able to reach the exec root, so every directory above it needs search
 * permission for others. A data directory under a private home (mode 0700, e.g. /root) does not
 * allow that; exec roots then go to /var/tmp/kiln-exec/ instead, and the worker says so.
 */
public final class SandboxDirs {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxDirs.class);
  static final Path FALLBACK = Path.of("/var/tmp/kiln-exec");
  private static final Set<PosixFilePermission> PASS_THROUGH = PosixFilePermissions.fromString("rwx--x--x");

  private SandboxDirs() {}

  static Path reachable(Path preferred, int sandboxUid) {
    Path abs = preferred.toAbsolutePath().normalize();
    if (traversable(abs.getParent())) {
      return ensure(abs);
    }
    Path fallback = FALLBACK.resolve(Integer.toHexString(abs.toString().hashCode()));
    LOG.info("exec roots go to {}: the sandbox user {} cannot reach {} (a directory above it lacks o+x)", fallback, sandboxUid, abs);
    ensureOwn(ensure(FALLBACK));
    return ensureOwn(ensure(fallback));
  }

  /** Refuses a directory another user created or swapped for a symlink before the worker did. */
  private static Path ensureOwn(Path dir) {
    try {
      var attrs = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      int owner = (Integer) Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isDirectory() || attrs.isSymbolicLink() || owner != 0) {
        throw new IllegalStateException(dir + " is not a directory owned by root (another user made it?): remove it and restart the worker");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to check " + dir, e);
    }
  }

  private static boolean traversable(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      try {
        if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new scratch directory below {@code parent} (mode 0711: the sandbox user may pass through it
   * to its exec root and see nothing else in it).
   */
  public static Path newScratch(Path parent, String prefix) throws IOException {
    Files.createDirectories(parent);
    Path dir = Files.createTempDirectory(parent, prefix);
    Files.setPosixFilePermissions(dir, PASS_THROUGH);
    return dir;
  }

  /**
   * Removes a scratch directory with rm, which walks by file descriptor: an action may leave a tree
   * nested past PATH_MAX that Java's path-based walk cannot remove. rm does not follow links.
   */
  public static void remove(Path dir) {
    try {
      Process p = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", dir.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // best effort: a leftover scratch directory is only disk space
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path ensure(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PASS_THROUGH);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to prepare the exec root directory " + dir, e);
    }
  }
}
