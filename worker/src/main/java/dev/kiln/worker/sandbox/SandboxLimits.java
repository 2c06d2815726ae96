package dev.kiln.worker.sandbox;

/**
 * What one action may use on a worker; each limit reaches the client as a precise failure.
 * Memory and processes are enforced by a cgroup per action (v1 or v2, whichever the host has),
 * or, without writable cgroups, by rlimits on the sandbox (a documented, weaker fallback). The
 * action runs as {@code sandboxUid}/{@code sandboxGid} whenever the worker itself runs as root.
 *
 * @param memoryBytes       memory of the whole action (its processes and its /tmp, a tmpfs)
 * @param maxProcesses      processes and threads the action may have at once
 * @param maxOutputBytes    bytes of all outputs, stdout and stderr together
 * @param maxExecRootBytes  disk the exec root may grow to while the action runs
 * @param maxInputEntries   files, directories and symlinks of the expanded input tree
 * @param sandboxUid        host uid the action runs as when the worker is root
 * @param sandboxGid        host gid the action runs as when the worker is root
 */
public record SandboxLimits(long memoryBytes, int maxProcesses, long maxOutputBytes, long maxExecRootBytes, int maxInputEntries,
    int sandboxUid, int sandboxGid) {

  public static final int DEFAULT_SANDBOX_UID = 61000;

  /** Defaults for a compile farm: 4 GiB, 1,024 processes, 1 GiB of outputs, 8 GiB of exec root, 1,000,000 input entries. */
  public static SandboxLimits defaults() {
    return new SandboxLimits(4L << 30, 1024, 1L << 30, 8L << 30, 1_000_000, DEFAULT_SANDBOX_UID, DEFAULT_SANDBOX_UID);
  }

  public SandboxLimits {
    if (memoryBytes <= 0 || maxProcesses <= 0 || maxOutputBytes <= 0 || maxExecRootBytes <= 0 || maxInputEntries <= 0) {
      throw new IllegalArgumentException("sandbox limits must be positive");
    }
    if (sandboxUid <= 0 || sandboxGid <= 0) {
      throw new IllegalArgumentException("the sandbox uid and gid must not be root (0)");
    }
  }
}
