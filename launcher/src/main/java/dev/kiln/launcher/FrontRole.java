package dev.kiln.launcher;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.queue.KafkaActionQueue;
import dev.kiln.queue.KafkaOperationEvents;
import dev.kiln.queue.KafkaReachability;
import dev.kiln.queue.LeaseReaper;
import dev.kiln.queue.OperationEventFeed;
import dev.kiln.scheduler.FrontNode;
import dev.kiln.scheduler.FrontNodeConfig;
import dev.kiln.scheduler.auth.Authenticator;
import io.vertx.core.Vertx;
import java.time.Clock;

/** A running front node with the Kafka clients it owns. */
final class FrontRole implements AutoCloseable {
  private final FrontNode node;
  private final KafkaActionQueue queue;
  private final KafkaReachability broker;
  private final LeaseReaping reaping;
  private final int port;

  private FrontRole(FrontNode node, KafkaActionQueue queue, KafkaReachability broker, LeaseReaping reaping, int port) {
    this.node = node;
    this.queue = queue;
    this.broker = broker;
    this.reaping = reaping;
    this.port = port;
  }

  static FrontRole start(Vertx vertx, FrontNodeConfig config, SharedState shared, String bootstrap, KafkaShape shape, Authenticator auth) {
    KafkaActionQueue queue = new KafkaActionQueue(bootstrap, shape, config.nodeId());
    OperationEventFeed results = KafkaOperationEvents.feed(bootstrap, shape, config.nodeId() + "-results");
    KafkaReachability broker = new KafkaReachability(bootstrap, config.nodeId() + "-readiness");
    FrontNode node = new FrontNode(vertx, config, new FrontNode.Cluster(shared.cas(), shared.actionCache(), shared.opaqueActionCache(), shared.gomaFiles(), shared.state(),
        shared.state(), shared.state(), shared.state(), queue, results, broker::problems), auth, Clock.systemUTC());
    int port = node.start().toCompletionStage().toCompletableFuture().join();
    LeaseReaping reaping = new LeaseReaping(new LeaseReaper(shared.leases(), shared.state(), shared.state(), queue, config.nodeId(),
        LeaseReaping.GRACE, Clock.systemUTC()), config.nodeId(), LeaseReaping.PERIOD);
    return new FrontRole(node, queue, broker, reaping, port);
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    reaping.close();
    node.close();
    queue.close();
    broker.close();
  }
}
