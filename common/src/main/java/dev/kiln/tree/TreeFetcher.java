package dev.kiln.tree;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetches an input root level by level from the CAS, checking every Directory's canonical form.
 * Missing directories fail with FAILED_PRECONDITION listing them as MISSING.
 */
public final class TreeFetcher {
  private final BlobStore cas;

  public TreeFetcher(BlobStore cas) {
    this.cas = cas;
  }

  public CompletionStage<InputTree> fetch(Digest root) {
    Map<Digest, Directory> seen = new LinkedHashMap<>();
    Set<Digest> files = new LinkedHashSet<>();
    return level(List.of(root), seen, files).thenApply(v -> new InputTree(root, java.util.Collections.unmodifiableMap(seen), java.util.Collections.unmodifiableSet(files)));
  }

  private CompletionStage<Void> level(List<Digest> pending, Map<Digest, Directory> seen, Set<Digest> files) {
    if (pending.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletionStage<Optional<byte[]>>> gets = new ArrayList<>();
    for (Digest d : pending) {
      gets.add(cas.get(d));
    }
    return Futures.all(gets).thenCompose(blobs -> {
      Set<Digest> missing = new LinkedHashSet<>();
      List<Digest> next = new ArrayList<>();
      Map<Digest, Directory> parsed = new HashMap<>();
      for (int i = 0; i < pending.size(); i++) {
        Digest d = pending.get(i);
        if (blobs.get(i).isEmpty()) {
          missing.add(d);
          continue;
        }
        Directory dir = parse(d, blobs.get(i).get());
        PathRules.checkDirectory(dir);
        parsed.put(d, dir);
      }
      if (!missing.isEmpty()) {
        throw FarmException.missingBlobs(missing);
      }
      for (Map.Entry<Digest, Directory> e : parsed.entrySet()) {
        seen.put(e.getKey(), e.getValue());
        for (FileNode f : e.getValue().getFilesList()) {
          files.add(Digest.fromProto(f.getDigest()));
        }
        for (DirectoryNode child : e.getValue().getDirectoriesList()) {
          Digest cd = Digest.fromProto(child.getDigest());
          if (!seen.containsKey(cd) && !next.contains(cd)) {
            next.add(cd);
          }
        }
      }
      return level(next, seen, files);
    });
  }

  private static Directory parse(Digest d, byte[] blob) {
    try {
      return Directory.parseFrom(blob);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.invalidArgument("blob %s is not a Directory message: %s", d, e.getMessage());
    }
  }
}
