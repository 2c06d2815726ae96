package dev.kiln.scheduler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Hashing;
import dev.kiln.scheduler.FrontDoorLimits;
import dev.kiln.scheduler.TestFrontNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunked bodies without Content-Length over the limit (HTTP cache PUT, Goma) are refused while
 * they arrive: 413, the connection closed long before the client could send the whole body, and
 * nothing stored; the next request is served as usual.
 */
class BodyLimitAttackTest {
  private static final int LIMIT = 256 << 10;
  private static TestFrontNode front;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config().withSizes(LIMIT, 32L << 20)
        .withLimits(FrontDoorLimits.defaults().withGomaBodies(LIMIT, LIMIT)));
  }

  @AfterAll
  static void stop() {
    front.close();
  }

  @AfterEach
  void serverKeepsServing() throws Exception {
    byte[] blob = ("still serving " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    String path = "/cas/" + Hashing.sha256Hex(blob);
    assertThat(send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(blob))).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(got.body()).isEqualTo(blob);
    assertThat(send(HttpRequest.newBuilder(uri("/cxx-compiler-service/ping")).GET()).statusCode()).isEqualTo(200);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + front.port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String randomHash() {
    return Hashing.sha256Hex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void chunkedCachePutIsStoppedLongBeforeItsEnd() throws Exception {
    try (RawHttp raw = new RawHttp(front.port)) {
      raw.startChunked("PUT", "/cas/" + randomHash());
      long sent = raw.streamUntilStopped(64 << 10, 256L << 20);
      assertThat(sent).as("bytes the server let the client send").isLessThan(64L << 20);
    }
  }

  @Test
  void chunkedActionCachePutJustOverTheLimitIs413AndNotStored() throws Exception {
    String path = "/main/ac/" + randomHash();
    try (RawHttp raw = new RawHttp(front.port)) {
      raw.startChunked("PUT", path);
      for (int i = 0; i <= LIMIT / (32 << 10); i++) {
        raw.chunk(new byte[32 << 10]);
      }
      String answer = raw.readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close").contains("limit of " + LIMIT);
    }
    assertThat(send(HttpRequest.newBuilder(uri(path)).GET()).statusCode()).isEqualTo(404);
  }

  @Test
  void declaredLengthOverTheLimitIsRefusedBeforeTheBody() throws Exception {
    try (RawHttp raw = new RawHttp(front.port)) {
      raw.head("PUT", "/cas/" + randomHash(), "Content-Length: " + (LIMIT + 1));
      assertThat(raw.readUntilClosed()).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void chunkedGomaExecOverTheLimitIs413() throws Exception {
    try (RawHttp raw = new RawHttp(front.port)) {
      raw.startChunked("POST", "/cxx-compiler-service/e", "Content-Type: binary/x-protocol-buffer");
      for (int i = 0; i <= LIMIT / (32 << 10); i++) {
        raw.chunk(new byte[32 << 10]);
      }
      assertThat(raw.readUntilClosed()).startsWith("HTTP/1.1 413");
    }
    try (RawHttp raw = new RawHttp(front.port)) {
      raw.startChunked("POST", "/cxx-compiler-service/s", "Content-Type: binary/x-protocol-buffer");
      assertThat(raw.streamUntilStopped(64 << 10, 256L << 20)).isLessThan(64L << 20);
    }
  }

  @Test
  void gomaGzipBombIs413() throws Exception {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    assertThat(bomb.size()).isLessThan(LIMIT);
    HttpResponse<String> resp = send(HttpRequest.newBuilder(uri("/cxx-compiler-service/e")).header("content-encoding", "gzip")
        .header("content-type", "binary/x-protocol-buffer").POST(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())));
    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(resp.body()).contains("decompressed body over the limit of " + LIMIT);
  }

  @Test
  void h2cCachePutOverTheLimitIs413AndNotStored() throws Exception {
    String path = "/h2/ac/" + randomHash();
    io.vertx.core.http.HttpClient h2 = front.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      int status = h2.request(io.vertx.core.http.HttpMethod.PUT, front.port, "127.0.0.1", path).compose(req -> {
        req.setChunked(true);
        for (int i = 0; i <= LIMIT / (16 << 10); i++) {
          req.write(io.vertx.core.buffer.Buffer.buffer(new byte[16 << 10]));
        }
        req.end();
        return req.response();
      }).map(io.vertx.core.http.HttpClientResponse::statusCode).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(status).isEqualTo(413);
    } finally {
      h2.close();
    }
    assertThat(send(HttpRequest.newBuilder(uri(path)).GET()).statusCode()).isEqualTo(404);
  }
}
