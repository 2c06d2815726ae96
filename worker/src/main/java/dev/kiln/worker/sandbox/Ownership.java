package dev.kiln.worker.sandbox;

import dev.kiln.common.FarmException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Hands an exec root the worker laid out to the sandbox user, without following any link in it. */
final class Ownership {
  private Ownership() {}

  static void give(Path root, int uid, int gid) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          own(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          own(file);
          return FileVisitResult.CONTINUE;
        }

        private void own(Path p) throws IOException {
          Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
      });
    } catch (IOException e) {
      throw FarmException.internal("Failed to hand %s to the sandbox user %d: %s", root, uid, e);
    }
  }
}
