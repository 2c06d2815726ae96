package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.broker.EmbeddedKafkaBroker;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import dev.kiln.cas.disk.DiskTiers;
import dev.kiln.scheduler.FrontDoorLimits;
import dev.kiln.scheduler.FrontNodeConfig;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.state.KilnHazelcast;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.sandbox.SandboxLimits;
import dev.kiln.worker.sandbox.SandboxRunner;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole farm in one JVM ({@code bin/kiln up}): a real KRaft Kafka broker, a Hazelcast member,
 * a front node and N workers, started in dependency order and stopped in reverse: stop accepting
 * requests, drain workers, close Kafka clients, leave Hazelcast, stop the broker, close Vert.x.
 */
public final class EmbeddedFarm implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFarm.class);

  /** What {@code kiln up} takes from its command line. */
  public record Options(String host, int port, int workers, int slotsPerWorker, Path dataDir, boolean allowUnsandboxed,
      String clusterName, Duration keepalive, boolean simulateWorkers, Authenticator auth, boolean gomaArbitraryToolchains,
      SandboxLimits limits, Duration maxActionTimeout, FrontDoorLimits frontLimits, double casDiskGb) {
    /** The cache member's disk tier budget unless {@code kiln up --cas-disk-gb} says otherwise. */
    public static final double DEFAULT_CAS_DISK_GB = 20;

    public Options(String host, int port, int workers, int slotsPerWorker, Path dataDir, boolean allowUnsandboxed,
        String clusterName, Duration keepalive, boolean simulateWorkers, Authenticator auth, boolean gomaArbitraryToolchains,
        SandboxLimits limits, Duration maxActionTimeout, FrontDoorLimits frontLimits) {
      this(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, auth,
          gomaArbitraryToolchains, limits, maxActionTimeout, frontLimits, DEFAULT_CAS_DISK_GB);
    }

    public Options(String host, int port, int workers, int slotsPerWorker, Path dataDir, boolean allowUnsandboxed,
        String clusterName, Duration keepalive) {
      this(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, false, Authenticator.open(), false);
    }

    public Options(String host, int port, int workers, int slotsPerWorker, Path dataDir, boolean allowUnsandboxed,
        String clusterName, Duration keepalive, boolean simulateWorkers) {
      this(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, Authenticator.open(), false);
    }

    public Options(String host, int port, int workers, int slotsPerWorker, Path dataDir, boolean allowUnsandboxed,
        String clusterName, Duration keepalive, boolean simulateWorkers, Authenticator auth, boolean gomaArbitraryToolchains) {
      this(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, auth,
          gomaArbitraryToolchains, SandboxLimits.defaults(), Duration.ofHours(1), FrontDoorLimits.defaults());
    }

    /** The same farm with other per-action limits (hostile-action tests use small ones). */
    public Options withLimits(SandboxLimits l, Duration maxTimeout) {
      return new Options(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, auth,
          gomaArbitraryToolchains, l, maxTimeout, frontLimits, casDiskGb);
    }

    /** The same farm with other front-door limits. */
    public Options withFrontLimits(FrontDoorLimits f) {
      return new Options(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, auth,
          gomaArbitraryToolchains, limits, maxActionTimeout, f, casDiskGb);
    }

    /** The same farm with another disk tier budget for its cache member (0: memory only). */
    public Options withCasDiskGb(double gb) {
      return new Options(host, port, workers, slotsPerWorker, dataDir, allowUnsandboxed, clusterName, keepalive, simulateWorkers, auth,
          gomaArbitraryToolchains, limits, maxActionTimeout, frontLimits, gb);
    }
  }

  private final EmbeddedKafkaBroker broker;
  private final HazelcastInstance hazelcast;
  private final Vertx vertx;
  private final FrontRole front;
  private final List<WorkerRole> workers;

  private EmbeddedFarm(EmbeddedKafkaBroker broker, HazelcastInstance hazelcast, Vertx vertx, FrontRole front, List<WorkerRole> workers) {
    this.broker = broker;
    this.hazelcast = hazelcast;
    this.vertx = vertx;
    this.front = front;
    this.workers = workers;
  }

  public static EmbeddedFarm start(Options o) {
    KafkaShape shape = KafkaShape.load();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(o.dataDir().resolve("kafka"), o.host(), 0);
    TopicInitializer.ensure(broker.bootstrapServers(), shape, 60_000);
    DiskTiers.Settings disk = DiskTiers.settings(o.dataDir().resolve("cache"), o.casDiskGb());
    HazelcastInstance hz = disk == null ? KilnHazelcast.member(o.clusterName(), o.host(), 0, List.of())
        : KilnHazelcast.member(o.clusterName(), o.host(), 0, List.of(), disk);
    FrontNodeConfig frontConfig = FrontNodeConfig.defaults("front-0", o.host(), o.port()).withKeepalive(o.keepalive())
        .withLimits(o.frontLimits())
        .withGomaArbitraryToolchains(o.gomaArbitraryToolchains());
    SharedState shared = SharedState.on(hz, frontConfig.maxBlobBytes());
    List<WorkerRole> workers = new ArrayList<>();
    for (int i = 0; i < o.workers(); i++) {
      WorkerConfig wc = WorkerConfig.defaults("worker-" + i, o.slotsPerWorker(), o.dataDir().resolve("worker-" + i))
          .withLimits(o.limits()).withMaxTimeout(o.maxActionTimeout());
      wc = o.simulateWorkers() ? wc.simulating() : wc;
      SandboxRunner runner = WorkerRole.sandbox(wc, o.allowUnsandboxed());
      workers.add(WorkerRole.start(wc, runner, shared, broker.bootstrapServers(), shape));
    }
    Vertx vertx = Vertx.vertx();
    FrontRole front = FrontRole.start(vertx, frontConfig, shared, broker.bootstrapServers(), shape, o.auth());
    return new EmbeddedFarm(broker, hz, vertx, front, workers);
  }

  public int port() {
    return front.port();
  }

  public String kafkaBootstrap() {
    return broker.bootstrapServers();
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** The i-th worker (tests kill one to prove redelivery). */
  public WorkerRole worker(int i) {
    return workers.get(i);
  }

  @Override
  public void close() {
    LOG.info("stopping the farm");
    front.close();
    workers.forEach(WorkerRole::close);
    hazelcast.shutdown();
    broker.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    LOG.info("farm stopped");
  }
}
