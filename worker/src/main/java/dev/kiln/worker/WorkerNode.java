package dev.kiln.worker;

import build.bazel.remote.execution.v2.Platform;
import com.google.protobuf.Timestamp;
import dev.kiln.action.WorkerPlatform;
import dev.kiln.ac.ActionCache;
import dev.kiln.cas.BlobStore;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.toolchain.CompilerProbe;
import dev.kiln.common.Futures;
import dev.kiln.queue.ActionSource;
import dev.kiln.state.ActionLeases;
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
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: one queue member leasing for N slot threads, which share one executor stack
 * (local execution, wrapped by caching, a platform check and logging), plus a heartbeat into the
 * worker registry that also announces the compilers this worker carries (Goma requests select a
 * toolchain from them) and the REAPI platform it offers (admission routes by it).
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  /** The collaborators a worker needs from the cluster. */
  public record Cluster(BlobStore cas, ActionCache actionCache, ExecutionStateReader operations, ResultReporter reporter,
      WorkerRegistry registry, ActionLeases leases, Supplier<ActionSource> sources, int deliveryLimit) {}

  private final WorkerConfig config;
  private final Cluster cluster;
  private final SandboxRunner runner;
  private final Clock clock;
  private final ExecutorService slotThreads;
  private WorkerLeaser leaser;
  private Thread leaserThread;
  private volatile boolean killed;
  private final AtomicInteger busy = new AtomicInteger();
  private final ScheduledExecutorService heartbeat;
  private List<Toolchain> toolchains = List.of();
  private List<Platform.Property> offered = List.of();
  private java.util.function.UnaryOperator<ActionExecutor> outermost = java.util.function.UnaryOperator.identity();

  public WorkerNode(WorkerConfig config, Cluster cluster, SandboxRunner runner, Clock clock) {
    this.config = config;
    this.cluster = cluster;
    this.runner = runner;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.slotThreads = Executors.newFixedThreadPool(config.slots(), r -> {
      Thread t = new Thread(r, config.workerId() + "-slot-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, config.workerId() + "-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  public String id() {
    return config.workerId();
  }

  /** Wraps the executor stack in {@code decorator} (e.g. worker metrics); call before {@link #start()}. */
  public WorkerNode decorate(java.util.function.UnaryOperator<ActionExecutor> decorator) {
    this.outermost = decorator;
    return this;
  }

  public void start() {
    toolchains = config.simulate() ? List.of() : CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    LocalBlobCache cache = new LocalBlobCache(config.cacheDir(), cluster.cas(), config.cacheBytes());
    ActionExecutor core = config.simulate()
        ? new SimulatedActionExecutor(cluster.cas(), config.workerId(), clock)
        : new LocalActionExecutor(cluster.cas(), cache, runner, config, clock);
    offered = WorkerPlatform.offered(config.pool(), toolchains);
    ActionExecutor executor = outermost.apply(new LoggingActionExecutor(
        new PlatformCheckingActionExecutor(new CachingActionExecutor(core, cluster.actionCache()), offered), config.workerId()));
    ActionRun run = new ActionRun(executor, cluster.reporter(), cluster.leases(), config.workerId(), busy, () -> killed,
        cluster.deliveryLimit());
    leaser = new WorkerLeaser(cluster.sources(), cluster.leases(), cluster.operations(), cluster.reporter(),
        new WorkerLeaser.Settings(config.workerId(), config.slots(), cluster.deliveryLimit()), slotThreads, run::run, clock);
    // Registered before the first lease, so the reaper never takes this worker for a dead one.
    Futures.await(beat());
    leaserThread = new Thread(leaser, config.workerId() + "-leaser");
    leaserThread.setDaemon(true);
    leaserThread.start();
    heartbeat.scheduleAtFixedRate(this::beat, config.heartbeatInterval().toMillis(), config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("worker {} started with {} slots and compilers {}", config.workerId(), config.slots(),
        toolchains.stream().map(t -> t.getName() + " " + t.getVersion()).toList());
  }

  private CompletionStage<Void> beat() {
    var now = clock.instant();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    return cluster.registry().heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(config.workerId()).setHost(host)
        .setSlots(leaser.alive() ? config.slots() : 0).setBusy(busy.get()).addAllToolchains(toolchains).addAllProperties(offered)
        .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build())
        .exceptionally(e -> {
          LOG.warn("heartbeat of {} failed: {}", config.workerId(), e.toString());
          return null;
        });
  }

  /** Records this worker's queue member may take per poll ({@code WorkerLeaser.batchFor}). */
  public static int leaseBatch(int slots) {
    return WorkerLeaser.batchFor(slots);
  }

  /** Actions running right now. */
  public int busy() {
    return busy.get();
  }

  /** Ordered stop: no new leases, running actions drain (up to the drain timeout), then leave. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    leaser.stop();
    join(leaserThread, 2_000);
    slotThreads.shutdown();
    if (!awaitSlots(config.drainTimeout().toMillis())) {
      LOG.warn("worker {}: actions still running after {}; killing them (they will be requeued)", config.workerId(), config.drainTimeout());
      kill();
    }
    cluster.registry().remove(config.workerId());
    LOG.info("worker {} stopped", config.workerId());
  }

  /** Dies as a crashed worker would: running commands killed, leases left unacknowledged. */
  public void kill() {
    killed = true;
    heartbeat.shutdownNow();
    leaser.stop();
    runner.killAll();
    slotThreads.shutdownNow();
    join(leaserThread, 10_000);
    awaitSlots(10_000);
  }

  private boolean awaitSlots(long millis) {
    try {
      return slotThreads.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
