package dev.kiln.launcher;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FarmCredentials;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.proxy.ProxyServer;
import dev.kiln.client.remote.GomaExec;
import dev.kiln.client.remote.Compiler;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.RacingCompiler;
import dev.kiln.client.remote.HttpGomaExec;
import dev.kiln.client.remote.LocalOutputCache;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln proxy}: kiln-cc's local compiler proxy and dashboard. */
@Command(name = "proxy", mixinStandardHelpOptions = true, description = {"Run kiln-cc's local compiler proxy in the foreground (dashboard on the same port).",
    "bin/kiln proxy start|stop|status [--port N] run it in the background, stop it (POST /quitquitquit), or show its counters."})
final class ProxyCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8088", description = "Proxy and dashboard port on 127.0.0.1 (env KILN_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--server", defaultValue = "127.0.0.1:5050", description = "The farm's front node, host:port (env KILN_SERVER).")
  String server;

  @Option(names = "--output-cache-dir", description = "Local output cache directory (default ~/.cache/kiln/outputs).")
  Path outputCacheDir;

  @Option(names = "--output-cache-mb", defaultValue = "1024", description = "Local output cache size bound in MiB; 0 turns it off (default ${DEFAULT-VALUE}).")
  long outputCacheMb;

  @Option(names = "--farm-timeout-s", defaultValue = "600", description = "A farm that has not answered a compile within this many seconds means a local fallback (default ${DEFAULT-VALUE}).")
  long farmTimeoutS;

  @Option(names = "--race", description = "Race mode: a remote compile not answered within --race-delay-ms also runs locally; the first to finish wins.")
  boolean race;

  @Option(names = "--auth-token-file", description = {"File holding the farm token, sent as 'Authorization: Bearer <token>'.",
      "Else env KILN_AUTH_TOKEN (the token), KILN_AUTH_TOKEN_FILE, or GOMA_HTTP_AUTHORIZATION_FILE (whole header value, verbatim), in that order."})
  Path authTokenFile;

  @Option(names = "--race-delay-ms", defaultValue = "200", description = "How long a remote compile may take before race mode starts it locally too (default ${DEFAULT-VALUE}).")
  long raceDelayMs;

  @Override
  public Integer call() throws Exception {
    String farm = server;
    String gomaHost = System.getenv("GOMA_SERVER_HOST");
    if (System.getenv("KILN_SERVER") == null && gomaHost != null) {
      farm = gomaHost + ":" + System.getenv().getOrDefault("GOMA_SERVER_PORT", "5050");
    }
    FarmCredentials credentials = FarmCredentials.resolve(authTokenFile, System.getenv());
    Vertx vertx = Vertx.vertx();
    GomaExec exec = new HttpGomaExec(URI.create("http://" + farm), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(java.time.Duration.ofSeconds(5)).build(), java.time.Duration.ofSeconds(farmTimeoutS), credentials);
    if (outputCacheMb > 0) {
      Path dir = outputCacheDir != null ? outputCacheDir : Path.of(System.getProperty("user.home"), ".cache", "kiln", "outputs");
      exec = new LocalOutputCache(exec, dir, outputCacheMb << 20, Clock.systemUTC());
    }
    GomaRemoteCompiler remote = new GomaRemoteCompiler(exec, CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC()));
    Compiler compiler = race ? new RacingCompiler(remote, java.time.Duration.ofMillis(raceDelayMs),
        java.util.concurrent.Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "kiln-race");
          t.setDaemon(true);
          return t;
        }), java.nio.file.Files.createTempDirectory("kiln-race")) : remote;
    ProxyServer proxy = new ProxyServer(vertx, compiler, Clock.systemUTC(),
        () -> new Thread(() -> System.exit(0), "kiln-proxy-quit").start());
    int actual = proxy.listen("127.0.0.1", port).toCompletionStage().toCompletableFuture().join();
    return RoleProcess.runUntilStopped("kiln proxy on http://127.0.0.1:" + actual + " -> farm " + farm + " with " + credentials.describe(), () -> {
      proxy.close().toCompletionStage().toCompletableFuture().join();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    });
  }
}
