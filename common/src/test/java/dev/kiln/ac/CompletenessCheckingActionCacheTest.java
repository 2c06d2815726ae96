package dev.kiln.ac;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.OutputDirectory;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.Tree;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.testing.Blobs;
import org.junit.jupiter.api.Test;

class CompletenessCheckingActionCacheTest extends ActionCacheContract {
  private final InMemoryBlobStore cas = new InMemoryBlobStore();
  private final CompletenessCheckingActionCache cache = new CompletenessCheckingActionCache(new InMemoryActionCache(), cas);

  @Override
  protected ActionCache cache() {
    return cache;
  }

  @Test
  void hitIsServedOnlyWhileItsOutputsAreInTheCas() {
    Digest out = Blobs.put(cas, utf8("object file"));
    ActionKey key = new ActionKey("", Digest.of(utf8("action")));
    Futures.await(cache.put(key, ActionResult.newBuilder()
        .addOutputFiles(OutputFile.newBuilder().setPath("a.o").setDigest(out.toProto())).build()));
    assertThat(Futures.await(cache.get(key))).isPresent();
    cas.evict(out);
    assertThat(Futures.await(cache.get(key))).isEmpty();
  }

  @Test
  void filesInsideOutputTreesAreChecked() {
    Digest file = Blobs.put(cas, utf8("generated header"));
    Tree tree = Tree.newBuilder().setRoot(Directory.newBuilder()
        .addFiles(FileNode.newBuilder().setName("h.h").setDigest(file.toProto()))).build();
    Digest treeDigest = Blobs.put(cas, tree);
    ActionKey key = new ActionKey("", Digest.of(utf8("tree action")));
    Futures.await(cache.put(key, ActionResult.newBuilder()
        .addOutputDirectories(OutputDirectory.newBuilder().setPath("gen").setTreeDigest(treeDigest.toProto())).build()));
    assertThat(Futures.await(cache.get(key))).isPresent();
    cas.evict(file);
    assertThat(Futures.await(cache.get(key))).isEmpty();
  }
}
