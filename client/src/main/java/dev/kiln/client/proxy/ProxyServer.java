package dev.kiln.client.proxy;

import dev.kiln.client.remote.CompileResult;
import dev.kiln.client.remote.CompileTask;
import dev.kiln.client.remote.Compiler;
import dev.kiln.client.remote.NotRemotable;
import dev.kiln.proto.goma.ExecResp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kiln-cc's long-lived local proxy (Goma's compiler_proxy, rebuilt): {@code POST /compile} takes a
 * compile (body: cwd and argv, NUL-separated), runs it on the farm, writes its outputs and answers
 * exit status, stdout and stderr; or answers "run it locally" (X-Kiln-Run: local) when it is not a
 * remote compile or the farm cannot do it, which the wrapper then does. {@code /statz}
 * ({@code ?format=json}), {@code /compilerinfoz}, {@code /logz} and the dashboard at {@code /}
 * show what it did.
 */
public final class ProxyServer {
  private final Vertx vertx;
  private final Compiler compiler;
  private final Clock clock;
  private final ProxyStats stats = new ProxyStats();
  private final ProxyLog log;
  private final AtomicLong ids = new AtomicLong();
  private final Runnable onQuit;
  private HttpServer server;

  /** {@code onQuit} runs after {@code POST /quitquitquit} has been answered ({@code kiln proxy stop}). */
  public ProxyServer(Vertx vertx, Compiler compiler, Clock clock, Runnable onQuit) {
    this.vertx = vertx;
    this.compiler = compiler;
    this.clock = clock;
    this.log = new ProxyLog(clock);
    this.onQuit = onQuit;
  }

  public ProxyStats stats() {
    return stats;
  }

  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort).onSuccess(p -> log.info("kiln-cc proxy listening on " + host + ":" + p));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/compile" -> req.body().onSuccess(body -> compile(req, body));
      case "/statz" -> statz(req);
      case "/healthz" -> req.response().end("ok\n");
      case "/quitquitquit" -> quit(req);
      case "/" -> html(req, Dashboard.render(stats));
      case "/task" -> task(req);
      case "/compilerinfoz" -> html(req, Dashboard.compilers(compiler.compilers()));
      case "/logz" -> req.response().putHeader("content-type", "text/plain; charset=utf-8").end(String.join("\n", log.lines()) + "\n");
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
    CompileTask task = new CompileTask(ids.incrementAndGet(), String.join(" ", argv), clock);
    stats.started(task);
    vertx.executeBlocking(() -> compiler.compile(argv, cwd, task), false).onComplete(ar -> {
      if (ar.succeeded()) {
        CompileResult r = ar.result();
        if (r.ranLocally()) {
          stats.raceLocalWon();
          task.finish("local (won race)", r.exitStatus() == 0 ? "" : "exit status " + r.exitStatus());
          stats.finished(task);
          respond(req, r);
          return;
        }
        stats.remote(r.source());
        if (r.exitStatus() != 0) {
          stats.failed();
        }
        task.finish(r.exitStatus() == 0 ? outcome(r.source()) : "failed", r.exitStatus() == 0 ? "" : "exit status " + r.exitStatus());
        stats.finished(task);
        respond(req, r);
        return;
      }
      Throwable e = ar.cause();
      boolean fallback = !(e instanceof NotRemotable nr) || nr.fallback();
      if (fallback) {
        stats.fallback();
        log.warn("local fallback for " + task.command() + ": " + e);
      } else {
        stats.local();
      }
      task.finish(fallback ? "local fallback" : "local", String.valueOf(e.getMessage()));
      stats.finished(task);
      req.response().putHeader("x-kiln-run", "local").putHeader("x-kiln-reason", sanitize(String.valueOf(e.getMessage()))).end();
    });
  }

  /** The compile ran (remotely, or locally in a race): the wrapper prints the streams and exits with its status. */
  private static void respond(HttpServerRequest req, CompileResult r) {
    req.response().putHeader("x-kiln-run", "remote").putHeader("x-kiln-exit", Integer.toString(r.exitStatus()))
        .putHeader("x-kiln-stdout-length", Integer.toString(r.stdout().length))
        .end(Buffer.buffer(r.stdout()).appendBytes(r.stderr()));
  }

  private void task(HttpServerRequest req) {
    String id = String.valueOf(req.getParam("id"));
    java.util.Optional<CompileTask> t = java.util.stream.Stream.concat(stats.active().stream(), stats.recent().stream())
        .filter(x -> Long.toString(x.id()).equals(id)).findFirst();
    if (t.isEmpty()) {
      req.response().setStatusCode(404).end("no such task (only the last 200 are kept)\n");
      return;
    }
    html(req, Dashboard.task(t.get()));
  }

  private void quit(HttpServerRequest req) {
    if (req.method() != io.vertx.core.http.HttpMethod.POST) {
      req.response().setStatusCode(405).putHeader("allow", "POST").end("POST to stop the proxy\n");
      return;
    }
    log.info("stop requested (/quitquitquit)");
    req.response().end("quitting\n").onComplete(done -> onQuit.run());
  }

  private static void html(HttpServerRequest req, String page) {
    req.response().putHeader("content-type", "text/html; charset=utf-8").end(page);
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
