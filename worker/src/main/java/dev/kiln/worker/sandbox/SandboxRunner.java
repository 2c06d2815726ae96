package dev.kiln.worker.sandbox;

/** Runs a command confined to its exec root, enforcing its timeout. */
public interface SandboxRunner {
  RunResult run(RunRequest request);

  /** Kills every command still running (worker shutdown or simulated death). */
  void killAll();
}
