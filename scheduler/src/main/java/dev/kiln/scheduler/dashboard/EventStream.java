package dev.kiln.scheduler.dashboard;

import dev.kiln.scheduler.Blocking;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events}: server-sent events, one {@link FarmSnapshot} (JSON) every {@code period} to
 * every open stream, the first at once. One snapshot is built per tick whatever the number of
 * viewers, off the event loop, and only while someone watches; a viewer that cannot keep up
 * (write queue full) skips frames instead of making the node hold them.
 */
public final class EventStream implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final Vertx vertx;
  private final Blocking blocking;
  private final FarmSnapshot snapshot;
  private final Duration period;
  private final Set<HttpServerResponse> viewers = ConcurrentHashMap.newKeySet();
  private long timer = -1;
  private boolean building;

  public EventStream(Vertx vertx, Blocking blocking, FarmSnapshot snapshot, Duration period) {
    this.vertx = vertx;
    this.blocking = blocking;
    this.snapshot = snapshot;
    this.period = period;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      req.response().setStatusCode(405).putHeader("allow", "GET").putHeader("content-type", "text/plain").end("method not allowed\n");
      return;
    }
    HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    resp.write("retry: 2000\n\n");
    resp.closeHandler(v -> viewers.remove(resp));
    resp.exceptionHandler(e -> viewers.remove(resp));
    viewers.add(resp);
    frame().onSuccess(f -> send(resp, f));
    synchronized (this) {
      if (timer < 0) {
        timer = vertx.setPeriodic(period.toMillis(), id -> tick());
      }
    }
  }

  private void tick() {
    synchronized (this) {
      if (viewers.isEmpty() || building) {
        return;
      }
      building = true;
    }
    frame().onComplete(ar -> {
      synchronized (this) {
        building = false;
      }
      if (ar.succeeded()) {
        viewers.forEach(v -> send(v, ar.result()));
      } else {
        LOG.debug("dashboard snapshot failed", ar.cause());
      }
    });
  }

  private io.vertx.core.Future<String> frame() {
    return blocking.runAsync(() -> snapshot.build().thenApply(json -> "data: " + json.encode() + "\n\n"));
  }

  private void send(HttpServerResponse viewer, String frame) {
    if (viewer.ended() || viewer.closed()) {
      viewers.remove(viewer);
    } else if (!viewer.writeQueueFull()) {
      viewer.write(frame);
    }
  }

  /** Stops the ticks and ends every stream. */
  public synchronized void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    viewers.forEach(v -> {
      if (!v.ended() && !v.closed()) {
        v.end();
      }
    });
    viewers.clear();
  }
}
