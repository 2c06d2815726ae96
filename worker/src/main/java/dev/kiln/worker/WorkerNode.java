package dev.kiln.worker;

import build.bazel.remote.execution.v2.Platform;
import com.google.protobuf.Timestamp;
import dev.kiln.action.WorkerPlatform;
import dev.kiln.ac.ActionCache;
import dev.kiln.cas.BlobStore;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.toolchain.CompilerProbe;
import dev.kiln.queue.ActionSource;
import dev.kiln.state.ExecutionStateReader;
import dev.kiln.state.WorkerRegistry;
import dev.kiln.worker.exec.ActionExecutor;
import dev.kiln.worker.exec.CachingActionExecutor;
import dev.kiln.worker.exec.LocalActionExecutor;
import dev.kiln.worker.exec.LocalBlobCache;
import dev.kiln.worker.exec.LoggingActionExecutor;
import dev.kiln.worker.exec.PlatformCheckingActionExecutor;
import dev.kiln.worker.exec.SimulatedActionExecutor;
import dev.kiln.worker.sandbox.SandboxRunner;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: N slots, each with its own lease on the queue, sharing one executor stack
 * (local execution, wrapped by caching, a platform check and logging), plus a heartbeat into the
 * worker registry that also announces the compilers this worker carries (Goma requests select a
 * toolchain from them) and the REAPI platform it offers (admission routes by it).
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  /** The collaborators a worker needs from the cluster. */
  public record Cluster(BlobStore cas, ActionCache actionCache, ExecutionStateReader operations, ResultReporter reporter,
      WorkerRegistry registry, Supplier<ActionSource> sources, int deliveryLimit) {}

  private final WorkerConfig config;
  private final Cluster cluster;
  private final SandboxRunner runner;
  private final Clock clock;
  private final List<WorkerSlot> slots = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger busy = new AtomicInteger();
  private final ScheduledExecutorService heartbeat;
  private List<Toolchain> toolchains = List.of();
  private List<Platform.Property> offered = List.of();

  public WorkerNode(WorkerConfig config, Cluster cluster, SandboxRunner runner, Clock clock) {
    this.config = config;
    this.cluster = cluster;
    this.runner = runner;
    this.clock = clock;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, config.workerId() + "-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  public String id() {
    return config.workerId();
  }

  public void start() {
    toolchains = config.simulate() ? List.of() : CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    LocalBlobCache cache = new LocalBlobCache(config.cacheDir(), cluster.cas());
    ActionExecutor core = config.simulate()
        ? new SimulatedActionExecutor(cluster.cas(), config.workerId(), clock)
        : new LocalActionExecutor(cluster.cas(), cache, runner, config, clock);
    offered = WorkerPlatform.offered(config.pool(), toolchains);
    ActionExecutor executor = new LoggingActionExecutor(
        new PlatformCheckingActionExecutor(new CachingActionExecutor(core, cluster.actionCache()), offered), config.workerId());
    for (int i = 0; i < config.slots(); i++) {
      WorkerSlot slot = new WorkerSlot(cluster.sources(), executor, cluster.operations(), cluster.reporter(), cluster.deliveryLimit(), busy);
      Thread t = new Thread(slot, config.workerId() + "-slot-" + i);
      t.setDaemon(true);
      slots.add(slot);
      threads.add(t);
      t.start();
    }
    beat();
    heartbeat.scheduleAtFixedRate(this::beat, config.heartbeatInterval().toMillis(), config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("worker {} started with {} slots and compilers {}", config.workerId(), config.slots(),
        toolchains.stream().map(t -> t.getName() + " " + t.getVersion()).toList());
  }

  private void beat() {
    var now = clock.instant();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    cluster.registry().heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(config.workerId()).setHost(host)
        .setSlots((int) slots.stream().filter(WorkerSlot::alive).count()).setBusy(busy.get()).addAllToolchains(toolchains).addAllProperties(offered)
        .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build())
        .exceptionally(e -> {
          LOG.warn("heartbeat of {} failed: {}", config.workerId(), e.toString());
          return null;
        });
  }

  /** Actions running right now. */
  public int busy() {
    return busy.get();
  }

  /** Ordered stop: no new leases, running actions drain (up to the drain timeout), then leave. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    slots.forEach(WorkerSlot::stop);
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    for (Thread t : threads) {
      join(t, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      LOG.warn("worker {}: actions still running after {}; killing them (they will be redelivered)", config.workerId(), config.drainTimeout());
      kill();
    }
    cluster.registry().remove(config.workerId());
    LOG.info("worker {} stopped", config.workerId());
  }

  /** Dies as a crashed worker would: running commands killed, leases left unacknowledged. */
  public void kill() {
    heartbeat.shutdownNow();
    slots.forEach(WorkerSlot::kill);
    runner.killAll();
    threads.forEach(t -> join(t, 10_000));
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
