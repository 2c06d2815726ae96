package dev.kiln.worker.exec;

import dev.kiln.common.FarmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Host-side path handling below an exec root that never follows a symlink: every component is
 * looked at with lstat, and a symlink where a directory is needed is refused. The worker only
 * touches an exec root when no sandboxed process runs in it (before the action starts, after its
 * processes are dead), so these checks cannot race with the action. Inside the sandbox the action
 * may follow whatever links it likes: it only sees the sandbox.
 */
final class SafePaths {
  private SafePaths() {}

  /**
   * Creates {@code rel} (relative, normalized) and its parents below {@code root}. INVALID_ARGUMENT
   * when a component already exists as a symlink or a file.
   */
  static Path createDirectories(Path root, String rel, String what) {
    Path p = root;
    if (rel.isEmpty()) {
      return p;
    }
    for (String seg : rel.split("/")) {
      p = p.resolve(seg);
      Optional<BasicFileAttributes> a = lstat(p);
      try {
        if (a.isEmpty()) {
          Files.createDirectory(p);
        } else if (a.get().isSymbolicLink()) {
          throw FarmException.invalidArgument("%s '%s' goes through the symlink '%s'; the worker never follows links", what, rel,
              root.relativize(p));
        } else if (!a.get().isDirectory()) {
          throw FarmException.invalidArgument("%s '%s' goes through '%s', which is not a directory", what, rel, root.relativize(p));
        }
      } catch (IOException e) {
        throw FarmException.internal("Failed to create %s '%s': %s", what, rel, e);
      }
    }
    return p;
  }

  /**
   * The attributes of {@code rel} below {@code root}, not following it or any component above it;
   * empty when it does not exist. INVALID_ARGUMENT when a component above it is a symlink.
   */
  static Optional<BasicFileAttributes> lstatBeneath(Path root, String rel, String what) {
    Path p = root;
    String[] segs = rel.split("/");
    for (int i = 0; i < segs.length; i++) {
      p = p.resolve(segs[i]);
      Optional<BasicFileAttributes> a = lstat(p);
      if (a.isEmpty() || i == segs.length - 1) {
        return a;
      }
      if (a.get().isSymbolicLink()) {
        throw FarmException.invalidArgument("%s '%s' lies below the symlink '%s'; outputs are read without following links", what, rel,
            root.relativize(p));
      }
      if (!a.get().isDirectory()) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static Optional<BasicFileAttributes> lstat(Path p) {
    try {
      return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Only the action can make a path unreadable or too long below its exec root.
      throw FarmException.invalidArgument("%s cannot be looked at: %s", p.getFileName(), e.getMessage());
    }
  }
}
