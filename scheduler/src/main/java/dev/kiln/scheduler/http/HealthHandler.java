package dev.kiln.scheduler.http;

import dev.kiln.scheduler.Blocking;
import dev.kiln.state.WorkerRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /healthz}: 200 only while the farm can run actions, i.e. the registered workers have
 * at least one alive slot between them (each heartbeat's {@code slots} counts the slots whose
 * thread is alive, so a worker whose slots all died no longer makes the farm look healthy); 503
 * otherwise. The body carries the counts either way. Kept for compatibility: probes should use
 * {@code /livez} ({@link LivenessHandler}) and {@code /readyz} ({@link ReadinessHandler}), which
 * also checks the broker and the cache.
 */
public final class HealthHandler implements Handler<HttpServerRequest> {
  private final WorkerRegistry registry;

  public HealthHandler(WorkerRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Blocking.onContext(registry.live()).onComplete(ar -> {
      var resp = req.response().putHeader("content-type", "text/plain");
      if (ar.failed()) {
        resp.setStatusCode(503).end("unhealthy: cannot read the worker registry: " + ar.cause().getMessage() + "\n");
        return;
      }
      int workers = ar.result().size();
      long slots = WorkerRegistry.aliveSlots(ar.result());
      String counts = workers + " worker(s), " + slots + " alive slot(s)\n";
      if (slots > 0) {
        resp.setStatusCode(200).end("ok: " + counts);
      } else {
        resp.setStatusCode(503).end("unhealthy: no alive slot: " + counts);
      }
    });
  }
}
