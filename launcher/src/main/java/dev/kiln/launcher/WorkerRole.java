package dev.kiln.launcher;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.queue.KafkaOperationEvents;
import dev.kiln.queue.KafkaShareActionSource;
import dev.kiln.queue.OperationEventSink;
import dev.kiln.worker.ResultReporter;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.WorkerNode;
import dev.kiln.worker.metrics.WorkerMetrics;
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
  private final WorkerMetrics metrics;

  private WorkerRole(WorkerNode node, OperationEventSink sink, WorkerMetrics metrics) {
    this.node = node;
    this.sink = sink;
    this.metrics = metrics;
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
    return start(config, runner, shared, bootstrap, shape, null, -1);
  }

  /** A worker that also serves Prometheus {@code GET /metrics} on {@code metricsHost:metricsPort} (0: a free port, negative: off). */
  static WorkerRole start(WorkerConfig config, SandboxRunner runner, SharedState shared, String bootstrap, KafkaShape shape,
      String metricsHost, int metricsPort) {
    OperationEventSink sink = KafkaOperationEvents.sink(bootstrap, shape, config.workerId());
    WorkerNode.Cluster cluster = new WorkerNode.Cluster(shared.cas(), shared.actionCache(), shared.state(),
        new ResultReporter(shared.state(), shared.state(), sink, config.workerId(), Clock.systemUTC()), shared.state(), shared.leases(),
        () -> new KafkaShareActionSource(bootstrap, shape, config.workerId(), WorkerNode.leaseBatch(config.slots())),
        shape.deliveryCountLimit());
    WorkerNode node = new WorkerNode(config, cluster, runner, Clock.systemUTC());
    WorkerMetrics metrics = metricsPort < 0 ? null
        : new WorkerMetrics(metricsHost, metricsPort, config.workerId(), config.pool(), config.slots(), node::busy);
    if (metrics != null) {
      node.decorate(metrics::wrap);
    }
    node.start();
    return new WorkerRole(node, sink, metrics);
  }

  WorkerNode node() {
    return node;
  }

  /** The port serving this worker's metrics, or -1 when off. */
  int metricsPort() {
    return metrics == null ? -1 : metrics.port();
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
    if (metrics != null) {
      metrics.close();
    }
  }
}
