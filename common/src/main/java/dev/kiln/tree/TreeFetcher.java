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
import java.util.Collections;
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
 * Fetches an input root level by level from the CAS, checking every Directory's canonical form
 * and its symlinks at the shallowest depth the Directory appears at, and the expanded tree against
 * {@link TreeLimits} (entries and depth, counted per path, so a Directory referenced many times
 * counts every time). Missing directories fail with FAILED_PRECONDITION listing them as MISSING;
 * everything else a client got wrong fails with INVALID_ARGUMENT.
 */
public final class TreeFetcher {
  private final BlobStore cas;
  private final TreeLimits limits;

  public TreeFetcher(BlobStore cas) {
    this(cas, TreeLimits.DEFAULT);
  }

  public TreeFetcher(BlobStore cas, TreeLimits limits) {
    this.cas = cas;
    this.limits = limits;
  }

  public CompletionStage<InputTree> fetch(Digest root) {
    Map<Digest, Directory> seen = new LinkedHashMap<>();
    Set<Digest> files = new LinkedHashSet<>();
    return level(List.of(root), 0, seen, files).thenApply(v -> {
      new Expansion(seen, limits).check(root);
      return new InputTree(root, Collections.unmodifiableMap(seen), Collections.unmodifiableSet(files));
    });
  }

  private CompletionStage<Void> level(List<Digest> pending, int depth, Map<Digest, Directory> seen, Set<Digest> files) {
    if (pending.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (depth > limits.maxDepth()) {
      throw FarmException.invalidArgument("input tree is nested deeper than %d directories", limits.maxDepth());
    }
    if (seen.size() + pending.size() > limits.maxEntries()) {
      throw FarmException.invalidArgument("input tree has more than %d directories", limits.maxEntries());
    }
    List<CompletionStage<Optional<byte[]>>> gets = new ArrayList<>();
    for (Digest d : pending) {
      gets.add(cas.get(d));
    }
    return Futures.all(gets).thenCompose(blobs -> {
      Set<Digest> missing = new LinkedHashSet<>();
      Map<Digest, Directory> parsed = new LinkedHashMap<>();
      for (int i = 0; i < pending.size(); i++) {
        Digest d = pending.get(i);
        if (blobs.get(i).isEmpty()) {
          missing.add(d);
          continue;
        }
        Directory dir = parse(d, blobs.get(i).get());
        // Breadth first: this is the shallowest place the Directory appears, where its symlinks
        // have the least room to climb.
        PathRules.checkDirectory(dir, depth);
        parsed.put(d, dir);
      }
      if (!missing.isEmpty()) {
        throw FarmException.missingBlobs(missing);
      }
      Set<Digest> next = new LinkedHashSet<>();
      for (Map.Entry<Digest, Directory> e : parsed.entrySet()) {
        seen.put(e.getKey(), e.getValue());
        for (FileNode f : e.getValue().getFilesList()) {
          files.add(Digest.fromProto(f.getDigest()));
        }
        for (DirectoryNode child : e.getValue().getDirectoriesList()) {
          Digest cd = Digest.fromProto(child.getDigest());
          if (!seen.containsKey(cd) && !parsed.containsKey(cd)) {
            next.add(cd);
          }
        }
      }
      return level(List.copyOf(next), depth + 1, seen, files);
    });
  }

  private static Directory parse(Digest d, byte[] blob) {
    try {
      return Directory.parseFrom(blob);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.invalidArgument("blob %s is not a Directory message: %s", d, e.getMessage());
    }
  }

  /** Entries and depth of the expanded tree, memoized per Directory so a DAG bomb costs its size, not its expansion. */
  private static final class Expansion {
    private final Map<Digest, Directory> dirs;
    private final TreeLimits limits;
    private final Map<Digest, long[]> memo = new HashMap<>();

    Expansion(Map<Digest, Directory> dirs, TreeLimits limits) {
      this.dirs = dirs;
      this.limits = limits;
    }

    void check(Digest root) {
      long[] all = visit(root, 0);
      if (all[0] > limits.maxEntries()) {
        throw FarmException.invalidArgument("input tree expands to more than %d entries (files, directories and symlinks)", limits.maxEntries());
      }
      if (all[2] > limits.maxBytes()) {
        throw FarmException.invalidArgument("input tree expands to more than %d bytes of files", limits.maxBytes());
      }
    }

    /** {entries below d, height of d, bytes of files below d}; saturates past the limits. */
    private long[] visit(Digest d, int depth) {
      if (depth > limits.maxDepth()) {
        throw FarmException.invalidArgument("input tree is nested deeper than %d directories", limits.maxDepth());
      }
      long[] known = memo.get(d);
      if (known != null) {
        if (depth + known[1] > limits.maxDepth()) {
          throw FarmException.invalidArgument("input tree is nested deeper than %d directories", limits.maxDepth());
        }
        return known;
      }
      Directory dir = dirs.get(d);
      long entries = 0;
      long height = 0;
      long bytes = 0;
      if (dir != null) {
        entries = (long) dir.getFilesCount() + dir.getSymlinksCount() + dir.getDirectoriesCount();
        for (FileNode f : dir.getFilesList()) {
          bytes = Math.min(bytes + Math.max(0, f.getDigest().getSizeBytes()), limits.maxBytes() + 1);
        }
        for (DirectoryNode child : dir.getDirectoriesList()) {
          long[] sub = visit(Digest.fromProto(child.getDigest()), depth + 1);
          entries = Math.min(entries + sub[0], limits.maxEntries() + 1);
          height = Math.max(height, sub[1] + 1);
          bytes = Math.min(bytes + sub[2], limits.maxBytes() + 1);
        }
      }
      long[] result = {entries, height, bytes};
      memo.put(d, result);
      return result;
    }
  }
}
