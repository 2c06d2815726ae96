package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import dev.kiln.scheduler.FrontNodeConfig;
import dev.kiln.state.KilnHazelcast;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln front}: a front node (REAPI gRPC and HTTP on one port). */
@Command(name = "front", mixinStandardHelpOptions = true, description = "Run a front node.")
final class FrontCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "5050", description = "Port for gRPC and HTTP (default ${DEFAULT-VALUE}).")
  int port;

  @picocli.CommandLine.Mixin
  ClusterOptions farm = new ClusterOptions();

  @Option(names = "--id", description = "Node id in logs and operation records (default: front-<random>).")
  String id;

  @picocli.CommandLine.Mixin
  AuthOptions auth = new AuthOptions();

  @picocli.CommandLine.Mixin
  FrontLimitOptions limits = new FrontLimitOptions();

  @Option(names = "--goma-arbitrary-toolchains", description = "Let Goma clients send their own compiler as inputs (GOMA_ARBITRARY_TOOLCHAIN_SUPPORT); it runs in the workers' sandbox.")
  boolean gomaArbitraryToolchains;

  @Override
  public Integer call() throws Exception {
    Preflight.portFree(host, port, "--port");
    String nodeId = id != null ? id : "front-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaShape shape = KafkaShape.load();
    TopicInitializer.ensure(farm.kafka, shape, 120_000);
    HazelcastInstance hz = KilnHazelcast.client(farm.cluster, farm.cacheMembers());
    FrontNodeConfig config = FrontNodeConfig.defaults(nodeId, host, port).withGomaArbitraryToolchains(gomaArbitraryToolchains)
        .withLimits(limits.limits());
    Vertx vertx = Vertx.vertx();
    FrontRole front = FrontRole.start(vertx, config, SharedState.on(hz, config.maxBlobBytes()), farm.kafka, shape, auth.authenticator());
    return RoleProcess.runUntilStopped("kiln front node " + nodeId + " listening on " + host + ":" + front.port(), () -> {
      front.close();
      hz.shutdown();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    });
  }
}
