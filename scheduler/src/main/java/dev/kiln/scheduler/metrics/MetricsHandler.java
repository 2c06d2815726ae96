package dev.kiln.scheduler.metrics;

import dev.kiln.scheduler.Blocking;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: the registry in Prometheus text format (0.0.4). The worker gauges are
 * refreshed first (at most every 2 s, see {@link WorkerGauges}); the scrape itself runs on a worker
 * thread, so the event loop never formats it. No authentication, like {@code /healthz}.
 */
public final class MetricsHandler implements Handler<HttpServerRequest> {
  /** What {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final WorkerGauges workers;
  private final Blocking blocking;

  public MetricsHandler(PrometheusMeterRegistry registry, WorkerGauges workers, Blocking blocking) {
    this.registry = registry;
    this.workers = workers;
    this.blocking = blocking;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      req.response().setStatusCode(405).putHeader("allow", "GET").putHeader("content-type", "text/plain").end("method not allowed\n");
      return;
    }
    Blocking.onContext(workers.refresh()).compose(v -> blocking.run(registry::scrape)).onComplete(ar -> {
      if (ar.failed()) {
        req.response().setStatusCode(500).putHeader("content-type", "text/plain").end("cannot scrape metrics: " + ar.cause() + "\n");
      } else {
        req.response().setStatusCode(200).putHeader("content-type", CONTENT_TYPE).end(ar.result());
      }
    });
  }
}
