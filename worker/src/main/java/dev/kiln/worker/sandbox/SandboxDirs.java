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
final class SandboxDirs {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxDirs.class);
  static final Path FALLBACK = Path.of("/var/tmp/kiln-exec");

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

  private static Path ensure(Path dir) {
    try {
      Files.createDirectories(dir);
      Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rwx--x--x");
      Files.setPosixFilePermissions(dir, perms);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to prepare the exec root directory " + dir, e);
    }
  }
}
