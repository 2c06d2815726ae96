package dev.kiln.client.proxy;

import dev.kiln.client.remote.CompileResult;
import dev.kiln.client.remote.CompileTask;
import dev.kiln.client.remote.Compiler;
import dev.kiln.client.remote.FarmAuthException;
import dev.kiln.client.remote.NotRemotable;
import dev.kiln.client.remote.RefusedAnswer;
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
 * remote compile or the farm cannot do it, which the wrapper then does ("X-Kiln-Run: ran-locally":
 * race mode ran it here, print and exit as for remote). {@code /statz} ({@code ?format=json}),
 * {@code /compilerinfoz}, {@code /logz} and the dashboard at {@code /} show what it did. Every
 * request passes the {@link CallerGuard} first: /compile and /quitquitquit need the user's
 * {@link ProxySecret}, published once the port is bound.
 */
public final class ProxyServer {
  private final Vertx vertx;
  private final Compiler compiler;
  private final Clock clock;
  private final ProxyStats stats = new ProxyStats();
  private final ProxyLog log;
  private final AtomicLong ids = new AtomicLong();
  private final Runnable onQuit;
  private final ProxySecret secret;
  private final CallerGuard guard;
  private volatile boolean ready;
  private HttpServer server;
  private int port;

  /**
   * {@code onQuit} runs after {@code POST /quitquitquit} has been answered ({@code kiln proxy stop});
   * {@code secret} is published for the bound port once listening.
   */
  public ProxyServer(Vertx vertx, Compiler compiler, Clock clock, Runnable onQuit, ProxySecret secret) {
    this.vertx = vertx;
    this.compiler = compiler;
    this.clock = clock;
    this.log = new ProxyLog(clock);
    this.onQuit = onQuit;
    this.secret = secret;
    this.guard = new CallerGuard(secret);
  }

  /** A fresh secret in the directory kiln-cc looks in ({@link ProxySecret#defaultDir}). */
  public ProxyServer(Vertx vertx, Compiler compiler, Clock clock, Runnable onQuit) {
    this(vertx, compiler, clock, onQuit, ProxySecret.random(ProxySecret.defaultDir(System.getenv())));
  }

  public ProxyStats stats() {
    return stats;
  }

  /** Binds, then publishes the secret; /healthz answers ok only after both (kiln proxy start waits for it). */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort).compose(p -> vertx.executeBlocking(() -> {
      secret.publish(p);
      this.port = p;
      ready = true;
      return p;
    })).onSuccess(p -> log.info("kiln-cc proxy listening on " + host + ":" + p + ", secret in " + secret.file(p)));
  }

  public Future<Void> close() {
    if (ready) {
      secret.withdraw(port);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String refusal = guard.refusal(req);
    if (refusal != null) {
      stats.refusedCaller();
      log.warn("refused " + req.method() + " " + sanitize(req.path()) + ": " + sanitize(refusal));
      req.handler(ignored -> { }); // drain the body, so that the caller reads the answer instead of a reset
      req.end().onComplete(done -> req.response().setStatusCode(403).putHeader("content-type", "text/plain").end(refusal + "\n"));
      return;
    }
    switch (req.path()) {
      case "/compile" -> {
        if (req.method() != io.vertx.core.http.HttpMethod.POST) {
          req.response().setStatusCode(405).putHeader("allow", "POST").end("POST cwd and argv to compile\n");
          return;
        }
        req.body().onSuccess(body -> compile(req, body));
      }
      case "/statz" -> statz(req);
      case "/healthz" -> req.response().setStatusCode(ready ? 200 : 503).end(ready ? "ok\n" : "starting\n");
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
          if (r.farmError() != null) {
            fallback(task, r.farmError()); // race mode: the farm failed, the local run finished
          } else {
            stats.raceLocalWon();
            task.finish("local (won race)", r.exitStatus() == 0 ? "" : "exit status " + r.exitStatus());
            stats.finished(task);
          }
          respond(req, r, "ran-locally");
          return;
        }
        stats.remote(r.source());
        if (r.exitStatus() != 0) {
          stats.failed();
        }
        task.finish(r.exitStatus() == 0 ? outcome(r.source()) : "failed", r.exitStatus() == 0 ? "" : "exit status " + r.exitStatus());
        stats.finished(task);
        respond(req, r, "remote");
        return;
      }
      Throwable e = ar.cause();
      if (e instanceof RefusedAnswer refused) {
        failRefused(req, task, refused);
        return;
      }
      if (e instanceof NotRemotable nr && !nr.fallback()) {
        stats.local();
        task.finish("local", String.valueOf(e.getMessage()));
        stats.finished(task);
      } else {
        fallback(task, e);
      }
      req.response().putHeader("x-kiln-run", "local").putHeader("x-kiln-reason", sanitize(String.valueOf(e.getMessage()))).end();
    });
  }

  /** The farm could not do it: counted and shown with its reason; a refused credential is logged once per reason. */
  private void fallback(CompileTask task, Throwable e) {
    stats.fallback();
    String reason = String.valueOf(e.getMessage());
    if (e instanceof FarmAuthException) {
      if (stats.authRefused(reason)) {
        log.warn("local fallback: " + reason + " (logged once; counted as auth_refused in /statz)");
      }
    } else {
      log.warn("local fallback for " + task.command() + ": " + e);
    }
    task.finish("local fallback", reason);
    stats.finished(task);
  }

  /** The farm's answer was refused, nothing written: a failed compile with its reason, not a success leaving an old object. */
  private void failRefused(HttpServerRequest req, CompileTask task, RefusedAnswer e) {
    stats.failed();
    stats.refusedAnswer();
    log.warn("failed " + task.command() + ": " + e.getMessage());
    task.finish("failed", e.getMessage());
    stats.finished(task);
    respond(req, new CompileResult(1, new byte[0], ("kiln-cc: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8),
        ExecResp.CacheSource.NO_CACHE), "remote");
  }

  /** The compile ran (remotely, or locally in a race): the wrapper prints the streams and exits with its status. */
  private static void respond(HttpServerRequest req, CompileResult r, String ran) {
    req.response().putHeader("x-kiln-run", ran).putHeader("x-kiln-exit", Integer.toString(r.exitStatus()))
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
    String auth = sanitize(stats.authReason());
    if ("json".equals(req.getParam("format"))) {
      StringBuilder b = new StringBuilder("{");
      c.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
      if (!auth.isEmpty()) { // only then: readers that expect numbers only see numbers while the farm takes the credentials
        b.append(",\"auth_refused_reason\":\"").append(auth.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
      req.response().putHeader("content-type", "application/json").end(b.append("}\n").toString());
    } else {
      StringBuilder b = new StringBuilder();
      c.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
      if (!auth.isEmpty()) {
        b.append("auth_refused_reason: ").append(auth).append('\n');
      }
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
