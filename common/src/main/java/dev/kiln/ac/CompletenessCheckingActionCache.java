package dev.kiln.ac;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.OutputDirectory;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.Tree;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves an action cache hit only when every blob it references (outputs, stdout, stderr, output
 * trees and the files in them) is still in the CAS; otherwise reports a miss. Without this,
 * evicted blobs turn cache hits into "missing digest" build failures (bazel#8250 family).
 */
public final class CompletenessCheckingActionCache implements ActionCache {
  private final ActionCache delegate;
  private final BlobStore cas;

  public CompletenessCheckingActionCache(ActionCache delegate, BlobStore cas) {
    this.delegate = delegate;
    this.cas = cas;
  }

  @Override
  public CompletionStage<Optional<ActionResult>> get(ActionKey key) {
    return delegate.get(key).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(found);
      }
      return isComplete(found.get()).thenApply(ok -> ok ? found : Optional.<ActionResult>empty());
    });
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, ActionResult result) {
    return delegate.put(key, result);
  }

  private CompletionStage<Boolean> isComplete(ActionResult result) {
    Set<Digest> direct = new LinkedHashSet<>();
    for (OutputFile f : result.getOutputFilesList()) {
      direct.add(Digest.fromProto(f.getDigest()));
    }
    if (result.hasStdoutDigest()) {
      direct.add(Digest.fromProto(result.getStdoutDigest()));
    }
    if (result.hasStderrDigest()) {
      direct.add(Digest.fromProto(result.getStderrDigest()));
    }
    List<Digest> trees = new ArrayList<>();
    for (OutputDirectory d : result.getOutputDirectoriesList()) {
      trees.add(Digest.fromProto(d.getTreeDigest()));
    }
    direct.addAll(trees);
    return cas.findMissing(direct).thenCompose(missing -> {
      if (!missing.isEmpty()) {
        return CompletableFuture.completedFuture(false);
      }
      if (trees.isEmpty()) {
        return CompletableFuture.completedFuture(true);
      }
      return Futures.all(trees.stream().map(cas::getRequired).toList())
          .thenCompose(blobs -> cas.findMissing(filesOf(blobs)))
          .thenApply(Set::isEmpty);
    });
  }

  private static Set<Digest> filesOf(List<byte[]> treeBlobs) {
    Set<Digest> files = new LinkedHashSet<>();
    for (byte[] blob : treeBlobs) {
      Tree tree;
      try {
        tree = Tree.parseFrom(blob);
      } catch (InvalidProtocolBufferException e) {
        continue;
      }
      List<Directory> dirs = new ArrayList<>(tree.getChildrenList());
      dirs.add(tree.getRoot());
      for (Directory d : dirs) {
        for (FileNode f : d.getFilesList()) {
          files.add(Digest.fromProto(f.getDigest()));
        }
      }
    }
    return files;
  }
}
