package dev.kiln.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the proxy from other local users and from web pages: without the per-user secret (or
 * with a wrong one) nothing is compiled and the proxy does not stop; a browser request from another
 * origin is refused even with the secret; the dashboard's GET pages stay open.
 */
class ProxyCallerTest {
  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger farmCalls = new AtomicInteger();
  private final CountDownLatch quit = new CountDownLatch(1);
  private ProxyServer proxy;
  private int port;
  private String secret;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("a.c"), "int a;\n");
    proxy = new ProxyServer(vertx, new GomaRemoteCompiler((req, key) -> {
      farmCalls.incrementAndGet();
      return ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0).addOutput(ExecResult.Output.newBuilder()
          .setFilename("a.o").setBlob(dev.kiln.goma.FileBlobs.split("obj".getBytes()).top()))).build();
    }, CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC())), Clock.systemUTC(), quit::countDown, ProxySecret.random(dir.resolve("run")));
    port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    secret = Files.readString(dir.resolve("run/proxy-" + port + ".secret")).strip();
  }

  @AfterEach
  void close() {
    proxy.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private HttpResponse<String> post(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(dir + "\0gcc\0-c\0a.c\0-o\0a.o\0"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSecretIsARandom256BitHexFileOnlyTheUserCanReadAndItGoesOnClose() throws Exception {
    Path file = dir.resolve("run/proxy-" + port + ".secret");
    assertThat(secret).matches("[0-9a-f]{64}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(ProxySecret.random(dir).matches(secret)).isFalse();
    proxy.close().toCompletionStage().toCompletableFuture().join();
    assertThat(file).doesNotExist();
  }

  @Test
  void compileWithoutOrWithAWrongSecretIs403AndCompilesNothing() throws Exception {
    HttpResponse<String> none = post("/compile");
    HttpResponse<String> wrong = post("/compile", "X-Kiln-Secret", "0".repeat(64));
    HttpResponse<String> prefix = post("/compile", "X-Kiln-Secret", secret.substring(0, 63));
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(prefix.statusCode()).isEqualTo(403);
    assertThat(none.headers().firstValue("x-kiln-run")).isEmpty();
    assertThat(farmCalls).hasValue(0);
    assertThat(dir.resolve("a.o")).doesNotExist();
    assertThat(proxy.stats().counters()).containsEntry("refused_caller", 3L).containsEntry("remote", 0L);

    HttpResponse<String> ok = post("/compile", "X-Kiln-Secret", secret);
    assertThat(ok.headers().firstValue("x-kiln-run")).hasValue("remote");
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("obj");
  }

  @Test
  void browserRequestsFromOtherOriginsAre403EvenWithTheSecret() throws Exception {
    assertThat(post("/compile", "X-Kiln-Secret", secret, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    assertThat(post("/compile", "X-Kiln-Secret", secret, "Origin", "http://127.0.0.1:" + (port + 1)).statusCode()).isEqualTo(403);
    assertThat(post("/compile", "X-Kiln-Secret", secret, "Origin", "null").statusCode()).isEqualTo(403);
    assertThat(post("/compile", "X-Kiln-Secret", secret, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
    assertThat(post("/quitquitquit", "X-Kiln-Secret", secret, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    assertThat(post("/", "Origin", "https://evil.example").statusCode()).as("any non-GET").isEqualTo(403);
    assertThat(farmCalls).hasValue(0);
    assertThat(quit.getCount()).isEqualTo(1);
    assertThat(post("/compile", "X-Kiln-Secret", secret, "Origin", "http://127.0.0.1:" + port).headers().firstValue("x-kiln-run"))
        .as("the proxy's own origin").hasValue("remote");

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .header("Sec-Fetch-Site", "cross-site").header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as("the dashboard stays open to GET").isEqualTo(200);
  }

  @Test
  void quitquitquitWithoutTheSecretDoesNotStopTheProxy() throws Exception {
    assertThat(post("/quitquitquit").statusCode()).isEqualTo(403);
    assertThat(post("/quitquitquit", "X-Kiln-Secret", "nope").statusCode()).isEqualTo(403);
    assertThat(quit.getCount()).isEqualTo(1);
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
    assertThat(post("/quitquitquit", "X-Kiln-Secret", secret).statusCode()).isEqualTo(200);
    assertThat(quit.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aForeignHostHeaderIsRefusedEvenForTheDashboard() throws Exception {
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /logz HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("kiln-cc proxy listening");
    }
  }
}
