package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.SymlinkNode;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.tree.InputTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Lays out an input root under a fresh exec root: files copied from the local blob cache
 * (executable bit kept), directories, and symlinks created as they are, never followed. Entry
 * names are single path segments and unique per directory ({@code PathRules}), so every path the
 * worker creates is a new entry in a directory it just created; symlink targets were checked to
 * stay inside the root ({@code TreeFetcher}), which matters inside the sandbox only.
 */
public final class InputMaterializer {
  private final LocalBlobCache cache;

  public InputMaterializer(LocalBlobCache cache) {
    this.cache = cache;
  }

  public void materialize(InputTree tree, Path execRoot, Deadline deadline) {
    cache.ensure(tree.files());
    deadline.check("fetching inputs");
    try {
      write(tree, tree.root(), execRoot, deadline);
    } catch (IOException e) {
      throw FarmException.internal("Failed to lay out inputs under %s: %s", execRoot, e);
    }
  }

  private void write(InputTree tree, Digest dirDigest, Path at, Deadline deadline) throws IOException {
    deadline.check("laying out inputs");
    Directory dir = tree.directories().get(dirDigest);
    Files.createDirectories(at);
    if (dir == null) {
      return;
    }
    for (FileNode f : dir.getFilesList()) {
      deadline.check("laying out inputs");
      Path target = at.resolve(f.getName());
      cache.copyTo(Digest.fromProto(f.getDigest()), target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(f.getIsExecutable() ? "r-xr-xr-x" : "r--r--r--"));
    }
    for (SymlinkNode s : dir.getSymlinksList()) {
      Files.createSymbolicLink(at.resolve(s.getName()), Path.of(s.getTarget()));
    }
    for (DirectoryNode d : dir.getDirectoriesList()) {
      write(tree, Digest.fromProto(d.getDigest()), at.resolve(d.getName()), deadline);
    }
  }
}
