package dev.kiln.scheduler.records;

import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /actions?user=&build=&status=&limit=}: the matching action records as JSON, newest
 * first ({@code {"actions": [...], "kept": n, "maxRecords": n, "maxAgeSeconds": n}}). A bad
 * parameter is a 400 naming what is allowed.
 */
public final class ActionsHandler implements Handler<HttpServerRequest> {
  private final ActionRecords records;
  private final Blocking blocking;

  public ActionsHandler(ActionRecords records, Blocking blocking) {
    this.records = records;
    this.blocking = blocking;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      req.response().setStatusCode(405).putHeader("allow", "GET").putHeader("content-type", "text/plain").end("method not allowed\n");
      return;
    }
    RecordQuery query;
    try {
      query = RecordQuery.parse(req.params(), records.limits().maxRecords());
    } catch (FarmException e) {
      req.response().setStatusCode(400).putHeader("content-type", "text/plain").end(e.getMessage() + "\n");
      return;
    }
    blocking.run(() -> {
      JsonArray out = new JsonArray();
      records.query(query).forEach(r -> out.add(r.toJson()));
      return new JsonObject().put("actions", out).put("kept", records.size()).put("maxRecords", records.limits().maxRecords())
          .put("maxAgeSeconds", records.limits().maxAge().toSeconds()).encode();
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        req.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(ar.result());
      } else {
        req.response().setStatusCode(500).putHeader("content-type", "text/plain").end("cannot list action records: " + ar.cause() + "\n");
      }
    });
  }
}
