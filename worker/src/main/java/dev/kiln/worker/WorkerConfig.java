package dev.kiln.worker;

import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.worker.exec.LocalBlobCache;
import dev.kiln.worker.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker's settings: identity, concurrency, where it keeps exec roots and its local blob cache,
 * its timeouts, the local blob cache's byte budget, what one action may use ({@link SandboxLimits}), the pool it serves (the REAPI
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
    long maxBlobBytes,
    long cacheBytes) {

  public static final String DEFAULT_POOL = "default";

  public static WorkerConfig defaults(String workerId, int slots, Path workDir) {
    return new WorkerConfig(workerId, slots, workDir, Duration.ofMinutes(15), Duration.ofHours(1),
        Duration.ofSeconds(30), Duration.ofSeconds(2), false, SandboxLimits.defaults(), DEFAULT_POOL, VerifyingBlobStore.DEFAULT_MAX_BLOB_BYTES,
        LocalBlobCache.DEFAULT_BUDGET_BYTES);
  }

  /** A worker that runs no commands (scheduler benchmarks): see SimulatedActionExecutor. */
  public WorkerConfig simulating() {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, true, limits, pool, maxBlobBytes, cacheBytes);
  }

  public WorkerConfig withLimits(SandboxLimits l) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, l, pool, maxBlobBytes, cacheBytes);
  }

  public WorkerConfig withMaxTimeout(Duration max) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout.compareTo(max) > 0 ? max : defaultTimeout, max, drainTimeout,
        heartbeatInterval, simulate, limits, pool, maxBlobBytes, cacheBytes);
  }

  public WorkerConfig withPool(String p) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, limits, p, maxBlobBytes, cacheBytes);
  }

  public WorkerConfig withMaxBlobBytes(long max) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, limits, pool, max, cacheBytes);
  }

  /** The same worker with another byte budget for its local blob cache. */
  public WorkerConfig withCacheBytes(long bytes) {
    return new WorkerConfig(workerId, slots, workDir, defaultTimeout, maxTimeout, drainTimeout, heartbeatInterval, simulate, limits, pool, maxBlobBytes, bytes);
  }

  public Path execDir() {
    return workDir.resolve("exec");
  }

  public Path cacheDir() {
    return workDir.resolve("cas-cache");
  }
}
