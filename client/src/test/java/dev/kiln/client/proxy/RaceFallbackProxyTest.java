package dev.kiln.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.fake.FakeCompiler;
import dev.kiln.client.fake.FakeCompilerType;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.RacingCompiler;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Race mode through the proxy: a farm that fails while the local run is under way makes a local
 * fallback with the farm's reason (counted as local_fallback, not race_local_won, and never
 * answered as "remote").
 */
class RaceFallbackProxyTest {
  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    pool.shutdownNow();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void aFarmErrorDuringTheRaceIsALocalFallbackWithItsReason() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "local\n");
    Path real = FakeCompiler.install(dir.resolve("real"));
    Path cc = dir.resolve("bin/fake-cc");
    Files.createDirectories(cc.getParent());
    Files.writeString(cc, "#!/bin/sh\nsleep 1\nexec '" + real + "' \"$@\"\n");
    cc.toFile().setExecutable(true);
    GomaRemoteCompiler remote = new GomaRemoteCompiler((req, key) -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("farm answered HTTP 502 to /cxx-compiler-service/e");
    }, new CompilerTypes(List.of(new FakeCompilerType())), new FileHashes(Clock.systemUTC()));
    ProxyServer proxy = new ProxyServer(vertx, new RacingCompiler(remote, Duration.ofMillis(100), pool, dir), Clock.systemUTC(), () -> { },
        ProxySecret.random(dir.resolve("run")));
    int port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    String secret = Files.readString(dir.resolve("run/proxy-" + port + ".secret")).strip();

    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/compile"))
        .header("X-Kiln-Secret", secret).POST(HttpRequest.BodyPublishers.ofString(dir + "\0" + cc + "\0-c\0a.txt\0-o\0a.o\0")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.headers().firstValue("x-kiln-run")).hasValue("ran-locally");
    assertThat(r.headers().firstValue("x-kiln-exit")).hasValue("0");
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("local\n");
    assertThat(proxy.stats().counters()).containsEntry("local_fallback", 1L).containsEntry("race_local_won", 0L).containsEntry("remote", 0L);
    assertThat(proxy.stats().recent().get(0).outcome()).isEqualTo("local fallback");
    assertThat(proxy.stats().recent().get(0).reason()).contains("HTTP 502");
  }
}
