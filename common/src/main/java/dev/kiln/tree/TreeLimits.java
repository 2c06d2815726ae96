package dev.kiln.tree;

/**
 * How large an input tree may be once expanded. A Directory blob can be referenced many times, so
 * a few kilobytes of Directory blobs can describe millions of paths (a "DAG bomb"); these bounds
 * apply to the expanded tree, checked while fetching, before anything is laid out on disk.
 *
 * @param maxEntries files, directories and symlinks of the expanded tree, counted once per path
 * @param maxDepth   directories nested below the root along any path
 * @param maxBytes   bytes of the files of the expanded tree, counted once per path (each is a copy on the worker)
 */
public record TreeLimits(long maxEntries, int maxDepth, long maxBytes) {
  /** The bytes a worker's exec root may hold by default (8 GiB). */
  public static final long DEFAULT_MAX_BYTES = 8L << 30;
  public static final TreeLimits DEFAULT = new TreeLimits(1_000_000, 256, DEFAULT_MAX_BYTES);

  public TreeLimits(long maxEntries, int maxDepth) {
    this(maxEntries, maxDepth, DEFAULT_MAX_BYTES);
  }

  public TreeLimits {
    if (maxEntries <= 0 || maxDepth <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("tree limits must be positive");
    }
  }
}
