package dev.kiln.tree;

/**
 * How large an input tree may be once expanded. A Directory blob can be referenced many times, so
 * a few kilobytes of Directory blobs can describe millions of paths (a "DAG bomb"); these bounds
 * apply to the expanded tree, checked while fetching, before anything is laid out on disk.
 *
 * @param maxEntries files, directories and symlinks of the expanded tree, counted once per path
 * @param maxDepth   directories nested below the root along any path
 */
public record TreeLimits(long maxEntries, int maxDepth) {
  public static final TreeLimits DEFAULT = new TreeLimits(1_000_000, 256);

  public TreeLimits {
    if (maxEntries <= 0 || maxDepth <= 0) {
      throw new IllegalArgumentException("tree limits must be positive");
    }
  }
}
