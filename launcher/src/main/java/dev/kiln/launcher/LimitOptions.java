package dev.kiln.launcher;

import dev.kiln.worker.sandbox.SandboxLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What one action may use on a worker (`kiln worker` and `kiln up`); docs/security.md lists them all. */
final class LimitOptions {
  @Option(names = "--action-memory-mb", defaultValue = "4096", description = "Memory per action, its /tmp included (default ${DEFAULT-VALUE}).")
  long memoryMb;

  @Option(names = "--action-processes", defaultValue = "1024", description = "Processes and threads per action (default ${DEFAULT-VALUE}).")
  int processes;

  @Option(names = "--action-output-mb", defaultValue = "1024", description = "Outputs, stdout and stderr of one action together (default ${DEFAULT-VALUE}).")
  long outputMb;

  @Option(names = "--action-disk-mb", defaultValue = "8192", description = "Disk an action's exec root may use, inputs included (default ${DEFAULT-VALUE}).")
  long diskMb;

  @Option(names = "--action-input-entries", defaultValue = "1000000", description = "Files, directories and symlinks of an action's expanded input tree (default ${DEFAULT-VALUE}).")
  int inputEntries;

  @Option(names = "--max-action-timeout-s", defaultValue = "3600", description = "Longest timeout an action may ask for, in seconds (default ${DEFAULT-VALUE}).")
  long maxTimeoutS;

  @Option(names = "--sandbox-uid", defaultValue = "" + SandboxLimits.DEFAULT_SANDBOX_UID,
      description = "Host uid (and gid) actions run as when the worker runs as root (default ${DEFAULT-VALUE}; must not be 0).")
  int sandboxUid;

  SandboxLimits limits() {
    return new SandboxLimits(memoryMb << 20, processes, outputMb << 20, diskMb << 20, inputEntries, sandboxUid, sandboxUid);
  }

  Duration maxTimeout() {
    return Duration.ofSeconds(maxTimeoutS);
  }
}
