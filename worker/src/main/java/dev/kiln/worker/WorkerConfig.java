package dev.kiln.worker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker's settings: identity, concurrency, where it keeps exec roots and its local blob cache,
 * its timeouts, and whether it only simulates execution (benchmarks of the scheduling path).
 */
public record WorkerConfig(
    String workerId,
    int slots,
    Path workDir,
    Duration defaultTimeout,
    Duration maxTimeout,
    Duration drainTimeout,
    Duration heartbeatInterval,
    boolean simulate) {

  public static WorkerConfig defaults(String workerId, int slots, Path workDir) {
    return new WorkerConfig(workerId, slots, workDir, Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(2), false);
  }

  /** A worker that runs no commands (scheduler benchmarks): see SimulatedActionExecutor. */
  public WorkerConfig simulating() {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, true);
  }

  public Path execDir() {
    return workDir.resolve("exec");
  }

  public Path cacheDir() {
    return workDir.resolve("cas-cache");
  }
}
