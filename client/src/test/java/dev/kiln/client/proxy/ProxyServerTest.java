package dev.kiln.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.GomaExec;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's contract with the wrapper, against a faked farm: what it runs remotely, what it sends
 * back to run locally, and that every fallback is counted and shown.
 */
class ProxyServerTest {
  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private final ProxySecret secret = ProxySecret.random(Path.of(System.getProperty("java.io.tmpdir"), "kiln-proxy-test-" + System.nanoTime()));

  private int start(GomaExec farm) {
    ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler(farm, CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC())), Clock.systemUTC(), () -> { },
        secret);
    return proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
  }

  private String secretOf(int port) throws IOException {
    return Files.readString(secret.file(port)).strip();
  }

  private HttpResponse<byte[]> compile(int port, String... argv) throws Exception {
    StringBuilder body = new StringBuilder(dir.toString()).append('\0');
    for (String a : argv) {
      body.append(a).append('\0');
    }
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/compile")).header("X-Kiln-Secret", secretOf(port))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aRemoteResultIsWrittenAndItsStreamsAndStatusComeBack() throws Exception {
    Files.writeString(dir.resolve("a.c"), "int a;\n");
    int port = start((req, key) -> ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0)
        .setStdoutBuffer(ByteString.copyFromUtf8("out")).setStderrBuffer(ByteString.copyFromUtf8("warning: x"))
        .addOutput(ExecResult.Output.newBuilder().setFilename("a.o").setBlob(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE)
            .setFileSize(3).setContent(ByteString.copyFromUtf8("obj"))))).build());

    HttpResponse<byte[]> r = compile(port, "gcc", "-c", "a.c", "-o", "a.o");

    assertThat(r.headers().firstValue("x-kiln-run")).hasValue("remote");
    assertThat(r.headers().firstValue("x-kiln-exit")).hasValue("0");
    assertThat(r.headers().firstValue("x-kiln-stdout-length")).hasValue("3");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("outwarning: x");
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("obj");
    assertThat(get(port, "/statz?format=json")).contains("\"remote\":1").contains("\"local_fallback\":0");
  }

  @Test
  void theDashboardShowsPhasesAndInputsAndTheProxyHasCompilerinfozAndLogz() throws Exception {
    Files.writeString(dir.resolve("a.h"), "int b;\n");
    Files.writeString(dir.resolve("a.c"), "#include \"a.h\"\nint a;\n");
    int port = start((req, key) -> ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(1)
        .setStderrBuffer(ByteString.copyFromUtf8("a.c:1: error: x"))).build());
    HttpResponse<byte[]> r = compile(port, "gcc", "-c", "a.c", "-o", "a.o");
    assertThat(r.headers().firstValue("x-kiln-exit")).hasValue("1");
    assertThat(get(port, "/statz?format=json")).contains("\"failed\":1");

    String page = get(port, "/");
    assertThat(page).contains("<th>include scan</th>").contains("<th>remote wait</th>").contains("class=\"failed\"")
        .contains("<a href=\"/task?id=1\">3 inputs</a>");
    assertThat(get(port, "/task?id=1")).contains("include scan ms").contains(dir.resolve("a.h").toString()).contains("stdc-predef.h");
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/task?id=99")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    assertThat(get(port, "/compilerinfoz")).contains("gcc /usr/bin/gcc").contains("binary sha256").contains("system include dirs")
        .contains("/usr/include");
    assertThat(get(port, "/logz")).contains("kiln-cc proxy listening");
  }

  @Test
  void aFarmThatFailsOrRefusesMeansACountedVisibleLocalFallback() throws Exception {
    Files.writeString(dir.resolve("a.c"), "int a;\n");
    List<GomaExec> farms = List.of(
        (req, key) -> {
          throw new IOException("connection refused");
        },
        (req, key) -> ExecResp.newBuilder().setError(ExecResp.ExecError.BAD_REQUEST).addErrorMessage("no worker carries compiler gcc")
            .setResult(ExecResult.newBuilder().setExitStatus(-1)).build());
    for (GomaExec farm : farms) {
      int port = start(farm);
      HttpResponse<byte[]> r = compile(port, "gcc", "-c", "a.c", "-o", "a.o");
      assertThat(r.headers().firstValue("x-kiln-run")).hasValue("local");
      assertThat(r.headers().firstValue("x-kiln-reason")).isPresent();
      assertThat(get(port, "/statz?format=json")).contains("\"local_fallback\":1").contains("\"remote\":0");
      assertThat(get(port, "/")).contains("class=\"fallback\"").contains("a.c");
    }
    assertThat(dir.resolve("a.o")).doesNotExist();
  }

  @Test
  void quitquitquitStopsOnlyOnPost() throws Exception {
    java.util.concurrent.CountDownLatch quit = new java.util.concurrent.CountDownLatch(1);
    ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler((req, key) -> {
      throw new AssertionError();
    }, CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC())), Clock.systemUTC(), quit::countDown, secret);
    int port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quitquitquit")).header("X-Kiln-Secret", secretOf(port)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    assertThat(quit.getCount()).isEqualTo(1);
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quitquitquit")).header("X-Kiln-Secret", secretOf(port))
        .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("quitting\n");
    assertThat(quit.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(get(port, "/logz")).contains("stop requested");
  }

  @Test
  void whatIsNotACompileRunsLocallyWithoutCountingAsAFallback() throws Exception {
    int port = start((req, key) -> {
      throw new AssertionError("nothing should reach the farm");
    });
    HttpResponse<byte[]> link = compile(port, "gcc", "a.o", "-o", "a.out");
    assertThat(link.headers().firstValue("x-kiln-run")).hasValue("local");
    assertThat(get(port, "/statz?format=json")).contains("\"local\":1").contains("\"local_fallback\":0");
    assertThat(compile(port).statusCode()).isEqualTo(400);
  }
}
