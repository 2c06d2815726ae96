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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Uploads what an action produced: each declared output that exists becomes an OutputFile,
 * an OutputDirectory (with a Tree blob) or an OutputSymlink; outputs that were not produced are
 * left out, as the spec says. stdout and stderr are uploaded too.
 */
public final class OutputCollector {
  private final BlobStore cas;

  public OutputCollector(BlobStore cas) {
    this.cas = cas;
  }

  /**
   * Adds the outputs under {@code workDir} named by {@code paths} to {@code result}. Output
   * directories always get a Tree ({@code tree_digest}); with {@code directoryDigests} (v2.8
   * DIRECTORY_ONLY / TREE_AND_DIRECTORY) every Directory is stored and {@code root_directory_digest} set too.
   */
  public void collect(Path workDir, List<String> paths, boolean directoryDigests, ActionResult.Builder result) {
    List<CompletionStage<Void>> uploads = new ArrayList<>();
    try {
      for (String rel : paths) {
        Path p = workDir.resolve(rel);
        if (Files.isSymbolicLink(p)) {
          OutputSymlink link = OutputSymlink.newBuilder().setPath(rel).setTarget(Files.readSymbolicLink(p).toString()).build();
          result.addOutputSymlinks(link);
          (Files.isDirectory(p) ? result.addOutputDirectorySymlinksBuilder() : result.addOutputFileSymlinksBuilder()).mergeFrom(link);
        } else if (Files.isDirectory(p)) {
          Tree.Builder tree = Tree.newBuilder();
          Map<String, Directory> children = new TreeMap<>();
          Directory root = directory(p, children, uploads);
          tree.setRoot(root);
          tree.addAllChildren(children.values());
          byte[] treeBytes = tree.build().toByteArray();
          Digest treeDigest = upload(treeBytes, uploads);
          OutputDirectory.Builder out = OutputDirectory.newBuilder().setPath(rel).setTreeDigest(treeDigest.toProto());
          if (directoryDigests) {
            out.setRootDirectoryDigest(upload(root.toByteArray(), uploads).toProto());
          }
          result.addOutputDirectories(out);
        } else if (Files.isRegularFile(p)) {
          Digest d = upload(Files.readAllBytes(p), uploads);
          result.addOutputFiles(OutputFile.newBuilder().setPath(rel).setDigest(d.toProto()).setIsExecutable(Files.isExecutable(p)));
        }
      }
    } catch (IOException e) {
      throw FarmException.internal("Failed to read outputs: %s", e);
    }
    Futures.await(Futures.all(uploads));
  }

  /** Uploads a captured stream and returns its digest. */
  public Digest uploadFile(Path file) {
    try {
      List<CompletionStage<Void>> uploads = new ArrayList<>();
      Digest d = upload(Files.readAllBytes(file), uploads);
      Futures.await(Futures.all(uploads));
      return d;
    } catch (IOException e) {
      throw FarmException.internal("Failed to read %s: %s", file, e);
    }
  }

  private Directory directory(Path dir, Map<String, Directory> children, List<CompletionStage<Void>> uploads) throws IOException {
    Directory.Builder b = Directory.newBuilder();
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
    }
    for (Path e : entries) {
      String name = e.getFileName().toString();
      if (Files.isSymbolicLink(e)) {
        b.addSymlinks(SymlinkNode.newBuilder().setName(name).setTarget(Files.readSymbolicLink(e).toString()));
      } else if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
        Directory child = directory(e, children, uploads);
        byte[] bytes = child.toByteArray();
        Digest cd = upload(bytes, uploads);
        children.put(cd.hash(), child);
        b.addDirectories(DirectoryNode.newBuilder().setName(name).setDigest(cd.toProto()));
      } else {
        Digest fd = upload(Files.readAllBytes(e), uploads);
        b.addFiles(FileNode.newBuilder().setName(name).setDigest(fd.toProto()).setIsExecutable(Files.isExecutable(e)));
      }
    }
    return b.build();
  }

  private Digest upload(byte[] data, List<CompletionStage<Void>> uploads) {
    Digest d = Digest.of(data);
    uploads.add(cas.put(d, data));
    return d;
  }
}
