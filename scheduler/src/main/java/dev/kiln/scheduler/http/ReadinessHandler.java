package dev.kiln.scheduler.http;

import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.health.Readiness;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * {@code GET /readyz}: 200 "ok" when the farm can take work (the rule is {@link
 * dev.kiln.scheduler.health.FarmReadiness}'s: broker, cache, at least one worker with an alive
 * slot); otherwise 503 with one line per problem.
 */
public final class ReadinessHandler implements Handler<HttpServerRequest> {
  private final Readiness readiness;

  public ReadinessHandler(Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Blocking.attempt(() -> Blocking.onContext(readiness.problems())).onComplete(ar -> {
      List<String> problems = ar.succeeded() ? ar.result()
          : List.of("readiness check failed: " + ar.cause().getMessage());
      var resp = req.response().putHeader("content-type", "text/plain");
      if (problems.isEmpty()) {
        resp.setStatusCode(200).end("ok\n");
      } else {
        resp.setStatusCode(503).end(String.join("\n", problems) + "\n");
      }
    });
  }
}
