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
}
