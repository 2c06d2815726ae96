package dev.kiln.launcher;

import dev.kiln.client.cxx.CompilerInfo;
import dev.kiln.client.cxx.IncludeProcessor;
import dev.kiln.client.proxy.ProxyServer;
import dev.kiln.client.remote.GomaRemoteCompiler;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln proxy}: kiln-cc's local compiler proxy and dashboard. */
@Command(name = "proxy", mixinStandardHelpOptions = true, description = "Run kiln-cc's local compiler proxy (dashboard on the same port).")
final class ProxyCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8088", description = "Proxy and dashboard port on 127.0.0.1 (env KILN_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--server", defaultValue = "127.0.0.1:5050", description = "The farm's front node, host:port (env KILN_SERVER).")
  String server;

  @Override
  public Integer call() throws Exception {
    String farm = server;
    String gomaHost = System.getenv("GOMA_SERVER_HOST");
    if (System.getenv("KILN_SERVER") == null && gomaHost != null) {
      farm = gomaHost + ":" + System.getenv().getOrDefault("GOMA_SERVER_PORT", "5050");
    }
    Vertx vertx = Vertx.vertx();
    ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler(URI.create("http://" + farm),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), new IncludeProcessor(), new CompilerInfo.Cache()));
    int actual = proxy.listen("127.0.0.1", port).toCompletionStage().toCompletableFuture().join();
    return RoleProcess.runUntilStopped("kiln proxy on http://127.0.0.1:" + actual + " -> farm " + farm, () -> {
      proxy.close().toCompletionStage().toCompletableFuture().join();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    });
  }
}
