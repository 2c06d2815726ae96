package dev.kiln.client.proxy;

import dev.kiln.client.remote.CompileResult;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.NotRemotable;
import dev.kiln.proto.goma.ExecResp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kiln-cc's long-lived local proxy (Goma's compiler_proxy, rebuilt): {@code POST /compile} takes a
 * compile (body: cwd and argv, NUL-separated), runs it on the farm, writes its outputs and answers
 * exit status, stdout and stderr; or answers "run it locally" (X-Kiln-Run: local) when it is not a
 * remote compile or the farm cannot do it, which the wrapper then does. {@code /statz}
 * ({@code ?format=json}) and {@code /} show what it did.
 */
public final class ProxyServer {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final Vertx vertx;
  private final GomaRemoteCompiler compiler;
  private final ProxyStats stats = new ProxyStats();
  private HttpServer server;

  public ProxyServer(Vertx vertx, GomaRemoteCompiler compiler) {
    this.vertx = vertx;
    this.compiler = compiler;
  }

  public ProxyStats stats() {
    return stats;
  }

  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/compile" -> req.body().onSuccess(body -> compile(req, body));
      case "/statz" -> statz(req);
      case "/healthz" -> req.response().end("ok\n");
      case "/" -> req.response().putHeader("content-type", "text/html; charset=utf-8").end(Dashboard.render(stats));
      default -> req.response().setStatusCode(404).end("not found\n");
    }
  }

  private void compile(HttpServerRequest req, Buffer body) {
    List<String> fields = new ArrayList<>(List.of(body.toString(StandardCharsets.UTF_8).split("\0", -1)));
    if (!fields.isEmpty() && fields.get(fields.size() - 1).isEmpty()) {
      fields.remove(fields.size() - 1);
    }
    if (fields.size() < 2) {
      req.response().setStatusCode(400).end("expected cwd and argv, NUL-separated\n");
      return;
    }
    Path cwd = Path.of(fields.get(0));
    List<String> argv = fields.subList(1, fields.size());
    String command = String.join(" ", argv);
    long start = System.nanoTime();
    vertx.executeBlocking(() -> compiler.compile(argv, cwd), false).onComplete(ar -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (ar.succeeded()) {
        CompileResult r = ar.result();
        stats.remote(r.source());
        stats.finished(new ProxyStats.Task(command, outcome(r.source()), ms, ""));
        req.response().putHeader("x-kiln-run", "remote").putHeader("x-kiln-exit", Integer.toString(r.exitStatus()))
            .putHeader("x-kiln-stdout-length", Integer.toString(r.stdout().length))
            .end(Buffer.buffer(r.stdout()).appendBytes(r.stderr()));
        return;
      }
      Throwable e = ar.cause();
      boolean fallback = !(e instanceof NotRemotable nr) || nr.fallback();
      if (fallback) {
        stats.fallback();
        LOG.warn("local fallback for {}: {}", command, e.toString());
      } else {
        stats.local();
      }
      stats.finished(new ProxyStats.Task(command, fallback ? "local fallback" : "local", ms, String.valueOf(e.getMessage())));
      req.response().putHeader("x-kiln-run", "local").putHeader("x-kiln-reason", sanitize(String.valueOf(e.getMessage()))).end();
    });
  }

  private void statz(HttpServerRequest req) {
    Map<String, Long> c = stats.counters();
    if ("json".equals(req.getParam("format"))) {
      StringBuilder b = new StringBuilder("{");
      c.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
      req.response().putHeader("content-type", "application/json").end(b.append("}\n").toString());
    } else {
      StringBuilder b = new StringBuilder();
      c.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
      req.response().putHeader("content-type", "text/plain").end(b.toString());
    }
  }

  private static String outcome(ExecResp.CacheSource source) {
    return switch (source) {
      case NO_CACHE -> "remote";
      case LOCAL_OUTPUT_CACHE -> "local cache hit";
      default -> "cache hit";
    };
  }

  private static String sanitize(String s) {
    return s.replaceAll("[\\r\\n]", " ").replaceAll("[^\\x20-\\x7e]", "?");
  }
}
