package dev.kiln.tree;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.SymlinkNode;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.rpc.Code;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Input trees a client can make: a CAS filled with fuzzer-made blobs (raw bytes, Directories with
 * arbitrary names, symlink targets and child digests, chains and fan-outs of one Directory
 * repeated, the DAG-bomb shape) and a root among them. {@code new TreeFetcher(cas).fetch(root)}
 * either returns a closed tree or fails with FarmException (INVALID_ARGUMENT, or
 * FAILED_PRECONDITION for missing blobs); never another exception, an Error, or a hang. Seeds:
 * src/test/resources/dev/kiln/tree/TreeFetcherFuzzTestInputs/fetch/.
 */
class TreeFetcherFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void fetch(FuzzedDataProvider data) throws Exception {
    InMemoryBlobStore cas = new InMemoryBlobStore();
    List<Digest> made = new ArrayList<>();
    int blobs = data.consumeInt(1, 400);
    for (int i = 0; i < blobs && data.remainingBytes() > 0; i++) {
      byte[] blob = switch (data.consumeInt(0, 3)) {
        case 0 -> data.consumeBytes(64);
        case 1 -> directory(data, made).toByteArray();
        default -> repeated(data, made).toByteArray();
      };
      Digest d = Digest.of(blob);
      cas.put(d, blob).toCompletableFuture().join();
      made.add(d);
    }
    Digest root = made.isEmpty() ? Digest.EMPTY : made.get(made.size() - 1 - data.consumeInt(0, Math.min(3, made.size() - 1)));

    InputTree tree;
    try {
      tree = new TreeFetcher(cas).fetch(root).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (FarmException e) {
      assertRefusal(e);
      return;
    } catch (ExecutionException e) {
      assertRefusal(e.getCause());
      return;
    }
    assertThat(tree.directories()).containsKey(root);
    assertThat(tree.directories().size()).isLessThanOrEqualTo(made.size());
    for (Directory dir : tree.directories().values()) {
      for (DirectoryNode child : dir.getDirectoriesList()) {
        assertThat(tree.directories()).containsKey(Digest.fromProto(child.getDigest()));
      }
      for (FileNode f : dir.getFilesList()) {
        assertThat(tree.files()).contains(Digest.fromProto(f.getDigest()));
      }
    }
  }

  private static void assertRefusal(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    assertThat(t).isInstanceOf(FarmException.class);
    assertThat(((FarmException) t).code()).isIn(Code.INVALID_ARGUMENT, Code.FAILED_PRECONDITION);
  }

  /** A Directory with fuzzer-made entries; children point at earlier blobs, missing or malformed digests. */
  private static Directory directory(FuzzedDataProvider data, List<Digest> made) {
    boolean sorted = data.consumeBoolean();
    TreeMap<String, FileNode> files = new TreeMap<>();
    List<FileNode> fileList = new ArrayList<>();
    for (int i = data.consumeInt(0, 4); i > 0; i--) {
      FileNode f = FileNode.newBuilder().setName(data.consumeString(8)).setDigest(digest(data, made)).setIsExecutable(data.consumeBoolean()).build();
      files.put(f.getName(), f);
      fileList.add(f);
    }
    TreeMap<String, DirectoryNode> dirs = new TreeMap<>();
    List<DirectoryNode> dirList = new ArrayList<>();
    for (int i = data.consumeInt(0, 4); i > 0; i--) {
      DirectoryNode d = DirectoryNode.newBuilder().setName(data.consumeString(8)).setDigest(digest(data, made)).build();
      dirs.put(d.getName(), d);
      dirList.add(d);
    }
    TreeMap<String, SymlinkNode> links = new TreeMap<>();
    List<SymlinkNode> linkList = new ArrayList<>();
    for (int i = data.consumeInt(0, 2); i > 0; i--) {
      SymlinkNode s = SymlinkNode.newBuilder().setName(data.consumeString(8)).setTarget(data.consumeString(24)).build();
      links.put(s.getName(), s);
      linkList.add(s);
    }
    return Directory.newBuilder()
        .addAllFiles(sorted ? files.values() : fileList)
        .addAllDirectories(sorted ? dirs.values() : dirList)
        .addAllSymlinks(sorted ? links.values() : linkList)
        .build();
  }

  /** One earlier blob repeated under many names: deep chains and wide fan-outs from a few bytes. */
  private static Directory repeated(FuzzedDataProvider data, List<Digest> made) {
    Directory.Builder b = Directory.newBuilder();
    if (made.isEmpty()) {
      return b.build();
    }
    Digest child = made.get(made.size() - 1);
    int n = data.consumeInt(1, 64);
    for (int i = 0; i < n; i++) {
      b.addDirectories(DirectoryNode.newBuilder().setName(String.format("d%03d", i)).setDigest(child.toProto()));
    }
    return b.build();
  }

  private static build.bazel.remote.execution.v2.Digest digest(FuzzedDataProvider data, List<Digest> made) {
    return switch (data.consumeInt(0, 3)) {
      case 0, 1 -> made.isEmpty() ? Digest.EMPTY.toProto() : made.get(data.consumeInt(0, made.size() - 1)).toProto();
      case 2 -> Digest.of(data.consumeBytes(8)).toProto();
      default -> build.bazel.remote.execution.v2.Digest.newBuilder().setHash(data.consumeString(64)).setSizeBytes(data.consumeLong()).build();
    };
  }
}
