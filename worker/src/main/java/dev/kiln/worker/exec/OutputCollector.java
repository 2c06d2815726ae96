package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.OutputDirectory;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.OutputSymlink;
import build.bazel.remote.execution.v2.SymlinkNode;
import build.bazel.remote.execution.v2.Tree;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * Uploads what one action produced, read without following any link: each declared output that
 * exists becomes an OutputFile, an OutputDirectory (with a Tree blob) or an OutputSymlink (its
 * target as written, never the target's bytes); outputs that were not produced are left out, as
 * the spec says. Only regular files, directories and symlinks are collected: a FIFO, socket or
 * device is a failure and is never opened. Every byte counts against the action's output budget,
 * checked from the file's size before it is read. One collector per action.
 */
public final class OutputCollector {
  private static final long AWAIT_ABOVE = 4L << 20;
  /** Bytes of outputs waiting for their upload before the collector waits for them. */
  private static final long MAX_PENDING = 64L << 20;

  private final BlobStore cas;
  private final long maxBlobBytes;
  private final Deadline deadline;
  private final List<CompletionStage<Void>> uploads = new ArrayList<>();
  private long pending;
  private long budget;

  OutputCollector(BlobStore cas, long maxOutputBytes, long maxBlobBytes, Deadline deadline) {
    this.cas = cas;
    this.budget = maxOutputBytes;
    this.maxBlobBytes = maxBlobBytes;
    this.deadline = deadline;
  }

  /**
   * Adds the outputs named by {@code paths} (relative to {@code workDir}, which is {@code wd}
   * below {@code root}) to {@code result}. Output directories always get a Tree; with
   * {@code directoryDigests} (v2.8 DIRECTORY_ONLY / TREE_AND_DIRECTORY) every Directory is stored
   * and {@code root_directory_digest} set too.
   */
  void collect(Path root, String wd, List<String> paths, boolean directoryDigests, ActionResult.Builder result) {
    for (String rel : paths) {
      deadline.check("collecting outputs");
      String fromRoot = wd.isEmpty() ? rel : wd + "/" + rel;
      Optional<BasicFileAttributes> found = SafePaths.lstatBeneath(root, fromRoot, "output");
      if (found.isEmpty()) {
        continue;
      }
      Path p = root.resolve(fromRoot);
      BasicFileAttributes a = found.get();
      if (a.isSymbolicLink()) {
        OutputSymlink link = OutputSymlink.newBuilder().setPath(rel).setTarget(readLink(p)).build();
        result.addOutputSymlinks(link);
        result.addOutputFileSymlinksBuilder().mergeFrom(link);
      } else if (a.isDirectory()) {
        Map<String, Directory> children = new TreeMap<>();
        Directory top = directory(p, rel, children, 0);
        Tree tree = Tree.newBuilder().setRoot(top).addAllChildren(children.values()).build();
        OutputDirectory.Builder out = OutputDirectory.newBuilder().setPath(rel).setTreeDigest(upload(tree.toByteArray()).toProto());
        if (directoryDigests) {
          out.setRootDirectoryDigest(upload(top.toByteArray()).toProto());
        }
        result.addOutputDirectories(out);
      } else if (a.isRegularFile()) {
        Digest d = file(p, a, rel);
        result.addOutputFiles(OutputFile.newBuilder().setPath(rel).setDigest(d.toProto()).setIsExecutable(executable(p)));
      } else {
        throw special(rel);
      }
    }
  }

  /** Uploads a captured stream (a regular file the worker created) and returns its digest. */
  Digest stream(Path file, String what) {
    BasicFileAttributes a = SafePaths.lstat(file).orElseThrow(() -> FarmException.internal("%s was not captured", what));
    return file(file, a, what);
  }

  /** Waits for every upload; call once at the end. */
  void awaitUploads() {
    Futures.await(Futures.all(uploads));
    uploads.clear();
    pending = 0;
  }

  private Directory directory(Path dir, String rel, Map<String, Directory> children, int depth) {
    if (depth > 256) {
      throw FarmException.invalidArgument("output directory '%s' is nested deeper than 256 levels", rel);
    }
    deadline.check("collecting outputs");
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(entries::add);
    } catch (IOException e) {
      throw FarmException.invalidArgument("output directory '%s' cannot be read: %s", rel, e.getMessage());
    }
    entries.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
    Directory.Builder b = Directory.newBuilder();
    for (Path e : entries) {
      String name = e.getFileName().toString();
      String entryRel = rel + "/" + name;
      BasicFileAttributes a = SafePaths.lstat(e).orElseThrow(() -> FarmException.internal("output '%s' vanished", entryRel));
      budget(0, entryRel);
      if (a.isSymbolicLink()) {
        b.addSymlinks(SymlinkNode.newBuilder().setName(name).setTarget(readLink(e)));
      } else if (a.isDirectory()) {
        Directory child = directory(e, entryRel, children, depth + 1);
        Digest cd = upload(child.toByteArray());
        children.put(cd.hash(), child);
        b.addDirectories(DirectoryNode.newBuilder().setName(name).setDigest(cd.toProto()));
      } else if (a.isRegularFile()) {
        b.addFiles(FileNode.newBuilder().setName(name).setDigest(file(e, a, entryRel).toProto()).setIsExecutable(executable(e)));
      } else {
        throw special(entryRel);
      }
    }
    return b.build();
  }

  /** Reads a regular file (never following a link) within the budget, and uploads it. */
  private Digest file(Path p, BasicFileAttributes a, String rel) {
    long size = a.size();
    budget(size, rel);
    if (size > maxBlobBytes || size > Integer.MAX_VALUE - 8) {
      throw FarmException.of(com.google.rpc.Code.RESOURCE_EXHAUSTED, "output '%s' has %d bytes, over the CAS blob limit of %d",
          rel, size, maxBlobBytes);
    }
    byte[] data = new byte[(int) size];
    try (SeekableByteChannel ch = Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read fully: the action is dead, the file cannot grow
      }
      if (buf.hasRemaining()) {
        throw FarmException.internal("output '%s' shrank while it was read", rel);
      }
    } catch (IOException e) {
      throw FarmException.invalidArgument("output '%s' cannot be read: %s", rel, e.getMessage());
    }
    return upload(data);
  }

  private void budget(long bytes, String rel) {
    budget -= Math.max(1, bytes);
    if (budget < 0) {
      throw FarmException.of(com.google.rpc.Code.RESOURCE_EXHAUSTED, "the action's outputs are over its output limit (at '%s')", rel);
    }
  }

  private Digest upload(byte[] data) {
    Digest d = Digest.of(data);
    CompletionStage<Void> put = cas.put(d, data);
    if (data.length > AWAIT_ABOVE) {
      Futures.await(put);
    } else {
      uploads.add(put);
      pending += data.length;
      if (pending > MAX_PENDING) {
        awaitUploads();
      }
    }
    return d;
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      throw FarmException.internal("Failed to read symlink %s: %s", p, e);
    }
  }

  private static boolean executable(Path p) {
    try {
      return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions()
          .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (IOException e) {
      return false;
    }
  }

  private static FarmException special(String rel) {
    return FarmException.invalidArgument("output '%s' is a FIFO, socket or device; only regular files, directories and symlinks are collected", rel);
  }
}
