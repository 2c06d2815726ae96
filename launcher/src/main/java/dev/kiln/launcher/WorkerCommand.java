package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import dev.kiln.scheduler.FrontNodeConfig;
import dev.kiln.state.KilnHazelcast;
import dev.kiln.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln worker}: leases actions from Kafka and runs them in the sandbox. */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Run a worker.")
final class WorkerCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  ClusterOptions farm = new ClusterOptions();

  @Option(names = "--slots", description = "Concurrent actions (default: number of cores).")
  Integer slots;

  @Option(names = "--data-dir", defaultValue = "data/worker", description = "Exec roots and the local blob cache (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--cache-gb", defaultValue = "10",
      description = "Byte budget in GiB of the local blob cache under <data-dir>, least recently used out first (default ${DEFAULT-VALUE}).")
  double cacheGb;

  @Option(names = "--id", description = "Worker id (default: worker-<random>).")
  String id;

  @Option(names = "--allow-unsandboxed", description = "Run actions without bubblewrap (only where the worker is isolated otherwise).")
  boolean allowUnsandboxed;

  @picocli.CommandLine.Mixin
  LimitOptions limits = new LimitOptions();

  @Option(names = "--pool", defaultValue = "default", description = "The worker pool it serves: actions asking for platform property pool=<name> (default ${DEFAULT-VALUE}).")
  String pool;

  @Option(names = "--metrics-port", defaultValue = "-1",
      description = "Serve Prometheus GET /metrics (phase histograms, slots busy/idle, JVM) on this port; 0 picks a free one (default: off).")
  int metricsPort;

  @Option(names = "--metrics-host", defaultValue = "0.0.0.0", description = "Address the metrics port binds to (default ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(names = "--simulate", hidden = true, description = "Run no commands; 'sleep N' actions just wait (scheduler benchmarks).")
  boolean simulate;

  static long cacheBytes(double gib) {
    if (!(gib > 0)) {
      throw new IllegalArgumentException("--cache-gb must be positive, not " + gib);
    }
    return (long) (gib * (1L << 30));
  }

  @Override
  public Integer call() throws Exception {
    String workerId = id != null ? id : "worker-" + UUID.randomUUID().toString().substring(0, 8);
    int n = slots != null ? slots : Runtime.getRuntime().availableProcessors();
    WorkerConfig defaults = WorkerConfig.defaults(workerId, n, dataDir.toAbsolutePath().resolve(workerId))
        .withLimits(limits.limits()).withMaxTimeout(limits.maxTimeout()).withPool(pool).withCacheBytes(cacheBytes(cacheGb));
    WorkerConfig config = simulate ? defaults.simulating() : defaults;
    var runner = WorkerRole.sandbox(config, allowUnsandboxed);
    KafkaShape shape = KafkaShape.load();
    TopicInitializer.ensure(farm.kafka, shape, 120_000);
    HazelcastInstance hz = KilnHazelcast.client(farm.cluster, farm.cacheMembers());
    WorkerRole worker = WorkerRole.start(config, runner, SharedState.on(hz, FrontNodeConfig.DEFAULT_MAX_BLOB_BYTES), farm.kafka, shape,
        metricsHost, metricsPort);
    if (worker.metricsPort() >= 0) {
      System.out.println("kiln worker " + workerId + ": Prometheus metrics on http://" + metricsHost + ":" + worker.metricsPort() + "/metrics");
    }
    return RoleProcess.runUntilStopped("kiln worker " + workerId + " running " + n + " slot(s)", () -> {
      worker.close();
      hz.shutdown();
    });
  }
}
