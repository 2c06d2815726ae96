package dev.kiln.tree;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a canonical REAPI input root (sorted, one segment per entry) from files by relative path.
 * {@link #build} returns the root digest and every Directory message by digest, to upload.
 */
public final class InputRootBuilder {
  private final Node root = new Node();

  private static final class Node {
    final TreeMap<String, Node> dirs = new TreeMap<>();
    final TreeMap<String, FileNode> files = new TreeMap<>();
  }

  /** The built tree: its root digest and every Directory message (root included). */
  public record Built(Digest root, Map<Digest, Directory> directories) {}

  /** Adds a file; {@code path} is relative and normalized (no '.', '..' or empty segments). */
  public InputRootBuilder addFile(String path, Digest digest, boolean executable) {
    String[] segs = path.split("/");
    Node n = root;
    for (int i = 0; i < segs.length - 1; i++) {
      PathRules.checkSegment(segs[i]);
      n = n.dirs.computeIfAbsent(segs[i], k -> new Node());
    }
    String name = segs[segs.length - 1];
    PathRules.checkSegment(name);
    if (n.dirs.containsKey(name)) {
      throw FarmException.invalidArgument("'%s' is both a file and a directory", path);
    }
    FileNode prev = n.files.put(name, FileNode.newBuilder().setName(name).setDigest(digest.toProto()).setIsExecutable(executable).build());
    if (prev != null && !prev.getDigest().equals(digest.toProto())) {
      throw FarmException.invalidArgument("'%s' is listed twice with different contents", path);
    }
    return this;
  }

  /** Adds an empty directory (e.g. the working directory). */
  public InputRootBuilder addDirectory(String path) {
    Node n = root;
    for (String seg : path.split("/")) {
      if (!seg.isEmpty()) {
        PathRules.checkSegment(seg);
        n = n.dirs.computeIfAbsent(seg, k -> new Node());
      }
    }
    return this;
  }

  public Built build() {
    Map<Digest, Directory> all = new LinkedHashMap<>();
    Digest rootDigest = build(root, all);
    return new Built(rootDigest, all);
  }

  private static Digest build(Node n, Map<Digest, Directory> all) {
    Directory.Builder d = Directory.newBuilder().addAllFiles(n.files.values());
    for (Map.Entry<String, Node> e : n.dirs.entrySet()) {
      d.addDirectories(DirectoryNode.newBuilder().setName(e.getKey()).setDigest(build(e.getValue(), all).toProto()));
    }
    Directory dir = d.build();
    Digest digest = Digest.of(dir.toByteArray());
    all.put(digest, dir);
    return digest;
  }
}
