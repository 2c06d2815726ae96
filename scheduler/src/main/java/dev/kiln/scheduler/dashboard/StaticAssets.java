package dev.kiln.scheduler.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's page, script and style sheet: classpath resources read once at start-up and
 * served from memory (nothing is fetched from elsewhere; no CDN). GET and HEAD only.
 */
public final class StaticAssets implements Handler<HttpServerRequest> {
  /** Path on the front node to resource name. */
  public static final Map<String, String> PATHS = Map.of("/", "index.html", "/farm/dashboard.js", "dashboard.js",
      "/farm/dashboard.css", "dashboard.css");

  private final Map<String, Buffer> bodies;

  public StaticAssets() {
    Map<String, Buffer> loaded = new java.util.HashMap<>();
    PATHS.forEach((path, name) -> loaded.put(path, load(name)));
    this.bodies = Map.copyOf(loaded);
  }

  private static Buffer load(String name) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource " + name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(HttpServerRequest req) {
    Buffer body = bodies.get(req.path());
    if (body == null) {
      req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("not found: " + req.path() + "\n");
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("allow", "GET, HEAD").putHeader("content-type", "text/plain").end("method not allowed\n");
      return;
    }
    String path = req.path();
    String type = path.endsWith(".js") ? "text/javascript; charset=utf-8" : path.endsWith(".css") ? "text/css; charset=utf-8"
        : "text/html; charset=utf-8";
    req.response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
        .putHeader("content-security-policy", "default-src 'self'; img-src 'self' data:")
        .putHeader("x-content-type-options", "nosniff").end(req.method() == HttpMethod.HEAD ? Buffer.buffer() : body);
  }
}
