package dev.kiln.worker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker's settings: identity, concurrency, where it keeps exec roots and its local blob cache,
 * and its timeouts.
 */
public record WorkerConfig(
    String workerId,
    int slots,
    Path workDir,
    Duration defaultTimeout,
    Duration maxTimeout,
    Duration drainTimeout,
    Duration heartbeatInterval) {

  public static WorkerConfig defaults(String workerId, int slots, Path workDir) {
    return new WorkerConfig(workerId, slots, workDir, Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  public Path execDir() {
    return workDir.resolve("exec");
  }

  public Path cacheDir() {
    return workDir.resolve("cas-cache");
  }
}
