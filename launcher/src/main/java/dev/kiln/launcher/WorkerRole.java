package dev.kiln.launcher;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.queue.KafkaOperationEvents;
import dev.kiln.queue.KafkaShareActionSource;
import dev.kiln.queue.OperationEventSink;
import dev.kiln.worker.ResultReporter;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.WorkerNode;
import dev.kiln.worker.sandbox.SandboxProbe;
import dev.kiln.worker.sandbox.SandboxRunner;
import dev.kiln.worker.sandbox.UnsandboxedRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** A running worker with the Kafka clients it owns. */
final class WorkerRole implements AutoCloseable {
  private final WorkerNode node;
  private final OperationEventSink sink;

  private WorkerRole(WorkerNode node, OperationEventSink sink) {
    this.node = node;
    this.sink = sink;
  }

  /** Refuses to start without a working sandbox unless {@code allowUnsandboxed}. */
  static SandboxRunner sandbox(WorkerConfig config, boolean allowUnsandboxed) {
    try {
      Files.createDirectories(config.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (allowUnsandboxed) {
      return new UnsandboxedRunner();
    }
    return SandboxProbe.check(config.execDir(), config.limits());
  }

  static WorkerRole start(WorkerConfig config, SandboxRunner runner, SharedState shared, String bootstrap, KafkaShape shape) {
    OperationEventSink sink = KafkaOperationEvents.sink(bootstrap, shape, config.workerId());
    WorkerNode.Cluster cluster = new WorkerNode.Cluster(shared.cas(), shared.actionCache(), shared.state(),
        new ResultReporter(shared.state(), shared.state(), sink, config.workerId(), Clock.systemUTC()), shared.state(), shared.leases(),
        () -> new KafkaShareActionSource(bootstrap, shape, config.workerId()),
        shape.deliveryCountLimit());
    WorkerNode node = new WorkerNode(config, cluster, runner, Clock.systemUTC());
    node.start();
    return new WorkerRole(node, sink);
  }

  WorkerNode node() {
    return node;
  }

  /** Simulates a crash: running actions are abandoned unacknowledged. */
  void kill() {
    node.kill();
    sink.close();
  }

  @Override
  public void close() {
    node.close();
    sink.close();
  }
}
