package dev.kiln.scheduler.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plain-HTTP side of the front node's one port (HTTP/1.1 and h2c), routed by path prefix:
 * health, the Bazel HTTP cache, and other plain-HTTP protocols; exact paths first, then prefixes,
 * then patterns.
 */
public final class HttpRoutes implements Handler<HttpServerRequest> {
  private final Map<String, Handler<HttpServerRequest>> exact = new LinkedHashMap<>();
  private final Map<String, Handler<HttpServerRequest>> prefixes = new LinkedHashMap<>();
  private final Map<java.util.regex.Pattern, Handler<HttpServerRequest>> patterns = new LinkedHashMap<>();

  public HttpRoutes exact(String path, Handler<HttpServerRequest> handler) {
    exact.put(path, handler);
    return this;
  }

  public HttpRoutes prefix(String prefix, Handler<HttpServerRequest> handler) {
    prefixes.put(prefix, handler);
    return this;
  }

  public HttpRoutes pattern(java.util.regex.Pattern pattern, Handler<HttpServerRequest> handler) {
    patterns.put(pattern, handler);
    return this;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    Handler<HttpServerRequest> h = exact.get(path);
    if (h == null) {
      for (Map.Entry<String, Handler<HttpServerRequest>> e : prefixes.entrySet()) {
        if (path.startsWith(e.getKey())) {
          h = e.getValue();
          break;
        }
      }
    }
    if (h == null) {
      for (Map.Entry<java.util.regex.Pattern, Handler<HttpServerRequest>> e : patterns.entrySet()) {
        if (e.getKey().matcher(path).matches()) {
          h = e.getValue();
          break;
        }
      }
    }
    if (h == null) {
      req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("not found: " + path + "\n");
    } else {
      h.handle(req);
    }
  }
}
