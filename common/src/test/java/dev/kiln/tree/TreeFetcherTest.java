package dev.kiln.tree;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import com.google.rpc.Code;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.testing.Blobs;
import org.junit.jupiter.api.Test;

class TreeFetcherTest {
  private final InMemoryBlobStore inner = new InMemoryBlobStore();
  private final VerifyingBlobStore cas = new VerifyingBlobStore(inner, 1 << 20);

  @Test
  void fetchesEveryLevelAndListsFiles() {
    Digest src = Blobs.put(cas, utf8("int main(){}"));
    Directory sub = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("m.c").setDigest(src.toProto())).build();
    Digest subD = Blobs.put(cas, sub);
    Directory root = Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("src").setDigest(subD.toProto())).build();
    Digest rootD = Blobs.put(cas, root);
    InputTree tree = Futures.await(new TreeFetcher(cas).fetch(rootD));
    assertThat(tree.directories()).containsKeys(rootD, subD);
    assertThat(tree.files()).containsExactly(src);
  }

  @Test
  void emptyRootNeedsNoBlob() {
    InputTree tree = Futures.await(new TreeFetcher(cas).fetch(Digest.EMPTY));
    assertThat(tree.files()).isEmpty();
  }

  @Test
  void missingDirectoryIsAPreconditionFailure() {
    Digest ghost = Digest.of(utf8("not a stored directory"));
    Directory root = Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("x").setDigest(ghost.toProto())).build();
    Digest rootD = Blobs.put(cas, root);
    assertThatThrownBy(() -> Futures.await(new TreeFetcher(cas).fetch(rootD)))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  private static Directory twice(Digest child) {
    return Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("a").setDigest(child.toProto()))
        .addDirectories(DirectoryNode.newBuilder().setName("b").setDigest(child.toProto())).build();
  }

  private void assertInvalid(Digest root, TreeLimits limits, String message) {
    assertThatThrownBy(() -> Futures.await(new TreeFetcher(cas, limits).fetch(root)))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void dagBombIsRefusedByItsExpandedSizeNotItsBlobCount() {
    // 16 Directory blobs, each naming the one below twice: 2^17 - 2 directories once expanded.
    Digest d = Blobs.put(cas, Directory.newBuilder().addFiles(FileNode.newBuilder().setName("f").setDigest(Digest.EMPTY.toProto())).build());
    for (int i = 0; i < 16; i++) {
      d = Blobs.put(cas, twice(d));
    }
    assertInvalid(d, new TreeLimits(100_000, 256), "expands to more than 100000 entries");
    assertThat(Futures.await(new TreeFetcher(cas, new TreeLimits(1_000_000, 256)).fetch(d)).directories()).hasSize(17);
  }

  @Test
  void deepTreesAreRefused() {
    Digest d = Digest.EMPTY;
    for (int i = 0; i < 40; i++) {
      d = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("d").setDigest(d.toProto())).build());
    }
    assertInvalid(d, new TreeLimits(1_000, 32), "deeper than 32");
  }

  @Test
  void aDeepChainReachableByAShortcutStillCountsItsFullDepth() {
    Digest chain = Digest.EMPTY;
    for (int i = 0; i < 40; i++) {
      chain = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("d").setDigest(chain.toProto())).build());
    }
    Digest root = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("c").setDigest(chain.toProto())).build());
    assertInvalid(root, new TreeLimits(1_000, 32), "deeper than 32");
  }

  @Test
  void symlinksAreCheckedAtTheShallowestDepthTheirDirectoryAppears() {
    Directory withLink = Directory.newBuilder().addSymlinks(build.bazel.remote.execution.v2.SymlinkNode.newBuilder()
        .setName("up").setTarget("../x")).build();
    Digest linkDir = Blobs.put(cas, withLink);
    Digest deep = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("s").setDigest(linkDir.toProto())).build());
    assertThat(Futures.await(new TreeFetcher(cas).fetch(deep)).directories()).containsKey(linkDir);
    // The same Directory also straight under the root: there "../x" leaves the root.
    Digest both = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("a").setDigest(linkDir.toProto()))
        .addDirectories(DirectoryNode.newBuilder().setName("b").setDigest(deep.toProto())).build());
    assertThat(Futures.await(new TreeFetcher(cas).fetch(both)).directories()).containsKey(linkDir);
    Digest atRoot = Blobs.put(cas, withLink);
    assertInvalid(atRoot, TreeLimits.DEFAULT, "climbs out");
  }

  @Test
  void manyEntriesNamingOneLargeBlobAreRefusedByTheirExpandedBytes() {
    Digest big = Blobs.put(cas, new byte[100_000]);
    Directory.Builder dir = Directory.newBuilder();
    for (int i = 0; i < 50; i++) {
      dir.addFiles(FileNode.newBuilder().setName(String.format("f%02d", i)).setDigest(big.toProto()));
    }
    Digest leaf = Blobs.put(cas, dir.build());
    Digest root = Blobs.put(cas, twice(leaf));
    assertInvalid(root, new TreeLimits(1_000, 32, 5_000_000), "more than 5000000 bytes of files");
    assertThat(Futures.await(new TreeFetcher(cas, new TreeLimits(1_000, 32, 10_000_000)).fetch(root)).files()).containsExactly(big);
  }
}
