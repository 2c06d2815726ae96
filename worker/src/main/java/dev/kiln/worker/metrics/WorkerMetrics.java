package dev.kiln.worker.metrics;

import dev.kiln.worker.exec.ActionExecutor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.IntSupplier;

/**
 * Everything a worker role measures, for its composition root: a Prometheus registry with JVM
 * binders, {@code kiln_worker_slots{state="busy|idle"}}, the phase histograms of
 * {@link MeteredActionExecutor} (via {@link #wrap}), and the {@link MetricsServer} that serves them.
 */
public final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final String pool;
  private final MetricsServer server;

  /** Starts serving on {@code host:port} (0: a free port); {@code busy} says how many of {@code slots} run an action now. */
  public WorkerMetrics(String host, int port, String workerId, String pool, int slots, IntSupplier busy) {
    this.pool = pool;
    registry.config().commonTags("worker", workerId);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("kiln.worker.slots", busy, b -> b.getAsInt()).description("This worker's slots by state").tag("state", "busy")
        .strongReference(true).register(registry);
    Gauge.builder("kiln.worker.slots", busy, b -> Math.max(0, slots - b.getAsInt())).description("This worker's slots by state")
        .tag("state", "idle").strongReference(true).register(registry);
    this.server = MetricsServer.start(host, port, registry);
  }

  /** {@code executor}, timed phase by phase into this registry. */
  public ActionExecutor wrap(ActionExecutor executor) {
    return new MeteredActionExecutor(executor, registry, pool);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    gc.close();
  }
}
