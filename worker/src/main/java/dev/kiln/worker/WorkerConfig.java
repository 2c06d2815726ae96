package dev.kiln.worker;

import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.worker.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker's settings: identity, concurrency, where it keeps exec roots and its local blob cache,
 * its timeouts, what one action may use ({@link SandboxLimits}), the pool it serves (the REAPI
 * platform property {@code pool}), and whether it only simulates execution (scheduler benchmarks).
 */
public record WorkerConfig(
    String workerId,
    int slots,
    Path workDir,
    Duration defaultTimeout,
    Duration maxTimeout,
    Duration drainTimeout,
    Duration heartbeatInterval,
    boolean simulate,
    SandboxLimits limits,
    String pool,
    long maxBlobBytes) {

  public static final String DEFAULT_POOL = "default";

  public static WorkerConfig defaults(String workerId, int slots, Path workDir) {
    return new WorkerConfig(workerId, slots, workDir, Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(2), false, SandboxLimits.defaults(), DEFAULT_POOL, VerifyingBlobStore.DEFAULT_MAX_BLOB_BYTES);
  }

  /** A worker that runs no commands (scheduler benchmarks): see SimulatedActionExecutor. */
  public WorkerConfig simulating() {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, true, limits, pool, maxBlobBytes);
  }

  public WorkerConfig withLimits(SandboxLimits l) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, l, pool, maxBlobBytes);
  }

  public WorkerConfig withMaxTimeout(Duration max) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout.compareTo(max) > 0 ? max : defaultTimeout, max, drainTimeout,
        heartbeatInterval, simulate, limits, pool, maxBlobBytes);
  }

  public WorkerConfig withPool(String p) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, limits, p, maxBlobBytes);
  }

  public WorkerConfig withMaxBlobBytes(long max) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, limits, pool, max);
  }

  public Path execDir() {
    return workDir.resolve("exec");
  }

  public Path cacheDir() {
    return workDir.resolve("cas-cache");
  }
}
