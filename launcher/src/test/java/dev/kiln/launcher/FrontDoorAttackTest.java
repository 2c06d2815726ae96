package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import com.google.longrunning.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The front door of a real farm ({@code bin/kiln up}'s embedded farm, default limits): a result a
 * worker stores for Execute under "/x" is read back under "x"; a chunked Goma body over the 64 MiB
 * limit is refused while it arrives; the farm keeps serving. The small-limit attacks on every
 * endpoint live beside the code (scheduler's BodyLimitAttackTest, GrpcLimitsAttackTest, ...).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FrontDoorAttackTest {
  private static EmbeddedFarm farm;
  private static ReapiClient client;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(1));
    client = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    farm.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void resultOfExecuteUnderSlashXIsReadUnderX() throws Exception {
    String word = "front-door-" + UUID.randomUUID();
    Digest action = client.action("/bin/sh", "-c", "echo " + word);
    List<Operation> ops = client.executeAll(ExecuteRequest.newBuilder().setInstanceName("/x").setActionDigest(action).build());
    ExecuteResponse response = ReapiClient.response(ops.get(ops.size() - 1));
    assertThat(response.getResult().getExitCode()).isZero();
    assertThat(response.getCachedResult()).isFalse();
    for (String spelling : new String[] {"x", "/x", "x/"}) {
      ActionResult hit = client.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName(spelling).setActionDigest(action).build());
      assertThat(hit.getExitCode()).as(spelling).isZero();
    }
    assertThat(get("/x/ac/" + action.getHash()).statusCode()).isEqualTo(200);
  }

  @Test
  void chunkedGomaBodyOverTheDefaultLimitIsRefusedWhileItArrives() throws Exception {
    long limit = 64L << 20;
    long sent = 0;
    String answer;
    try (Socket s = new Socket("127.0.0.1", farm.port())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /cxx-compiler-service/e HTTP/1.1\r\nHost: localhost\r\nContent-Type: binary/x-protocol-buffer\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        while (sent < 4 * limit) {
          out.write(head);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          sent += chunk.length;
        }
      } catch (IOException stopped) {
        // the server closed the connection: what this test wants
      }
      answer = readSome(s.getInputStream());
    }
    assertThat(sent).as("bytes the farm let the client send").isLessThan(4 * limit);
    assertThat(answer).as("what the farm answered, if it arrived before the close").satisfiesAnyOf(
        a -> assertThat(a).startsWith("HTTP/1.1 413"), a -> assertThat(a).isEmpty());
    assertThat(get("/cxx-compiler-service/ping").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  private static String readSome(InputStream in) {
    byte[] buf = new byte[512];
    try {
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    } catch (IOException reset) {
      return "";
    }
  }
}
