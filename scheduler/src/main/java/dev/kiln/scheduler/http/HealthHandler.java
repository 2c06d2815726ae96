package dev.kiln.scheduler.http;

import dev.kiln.scheduler.Blocking;
import dev.kiln.state.WorkerRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** {@code GET /healthz}: 200 once at least one worker is registered (the farm can run actions). */
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
      } else if (ar.result().isEmpty()) {
        resp.setStatusCode(503).end("unhealthy: no worker registered\n");
      } else {
        int slots = ar.result().stream().mapToInt(w -> w.getSlots()).sum();
        resp.setStatusCode(200).end("ok: " + ar.result().size() + " worker(s), " + slots + " slot(s)\n");
      }
    });
  }
}
