package dev.kiln.worker.sandbox;

import java.nio.file.Path;

/** Runs a command confined to its exec root, enforcing its timeout and the worker's limits. */
public interface SandboxRunner {
  RunResult run(RunRequest request);

  /** Kills every command still running (worker shutdown or simulated death). */
  void killAll();

  /** The directory exec roots should be created in, given the worker's preferred one. */
  default Path scratchDir(Path preferred) {
    return preferred;
  }
}
