package dev.kiln.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.client.cxx.CompilerInfo;
import dev.kiln.client.cxx.IncludeProcessor;
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

  private int start(GomaExec farm) {
    ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler(farm, new IncludeProcessor(), new CompilerInfo.Cache()));
    return proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
  }

  private HttpResponse<byte[]> compile(int port, String... argv) throws Exception {
    StringBuilder body = new StringBuilder(dir.toString()).append('\0');
    for (String a : argv) {
      body.append(a).append('\0');
    }
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/compile"))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aRemoteResultIsWrittenAndItsStreamsAndStatusComeBack() throws Exception {
    Files.writeString(dir.resolve("a.c"), "int a;\n");
    int port = start(req -> ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0)
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
  void aFarmThatFailsOrRefusesMeansACountedVisibleLocalFallback() throws Exception {
    Files.writeString(dir.resolve("a.c"), "int a;\n");
    List<GomaExec> farms = List.of(
        req -> {
          throw new IOException("connection refused");
        },
        req -> ExecResp.newBuilder().setError(ExecResp.ExecError.BAD_REQUEST).addErrorMessage("no worker carries compiler gcc")
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
  void whatIsNotACompileRunsLocallyWithoutCountingAsAFallback() throws Exception {
    int port = start(req -> {
      throw new AssertionError("nothing should reach the farm");
    });
    HttpResponse<byte[]> link = compile(port, "gcc", "a.o", "-o", "a.out");
    assertThat(link.headers().firstValue("x-kiln-run")).hasValue("local");
    assertThat(get(port, "/statz?format=json")).contains("\"local\":1").contains("\"local_fallback\":0");
    assertThat(compile(port).statusCode()).isEqualTo(400);
  }
}
