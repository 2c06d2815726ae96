package dev.kiln.scheduler.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /livez}: 200 "ok" while the process serves HTTP, with no dependency checked, so a
 * liveness probe restarts a front node that hangs, never one whose broker, cache or workers are
 * away (that is {@code /readyz}).
 */
public final class LivenessHandler implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest req) {
    req.response().setStatusCode(200).putHeader("content-type", "text/plain").end("ok\n");
  }
}
