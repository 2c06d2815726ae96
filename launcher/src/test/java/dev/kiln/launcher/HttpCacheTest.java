package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Bazel HTTP cache protocol on the front node's port, against a real embedded farm. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpCacheTest {
  private static EmbeddedFarm farm;
  private static ReapiClient grpc;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(30));
    grpc = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    grpc.close();
    farm.close();
  }

  private static HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
    HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path)).method(method, pub).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void casPutGetHeadAndMiss() throws Exception {
    byte[] blob = utf8("cas over http " + UUID.randomUUID());
    String hash = digest(blob).getHash();
    assertThat(send("GET", "/cas/" + hash, null).statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/cas/" + hash, null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/cas/" + hash, blob).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> get = send("GET", "/cas/" + hash, null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(blob);
    assertThat(get.headers().firstValue("content-length")).contains(Integer.toString(blob.length));
    assertThat(send("HEAD", "/cas/" + hash, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/some/prefix/cas/" + hash, null).statusCode()).isEqualTo(200);
  }

  @Test
  void casPutWhoseBytesDoNotMatchTheHashIsRefusedAndNotStored() throws Exception {
    String claimed = digest(utf8("claimed " + UUID.randomUUID())).getHash();
    assertThat(send("PUT", "/cas/" + claimed, utf8("other bytes")).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/cas/" + claimed, null).statusCode()).isEqualTo(404);
  }

  @Test
  void opaqueActionCacheEntriesRoundTripAndCanBeDeleted() throws Exception {
    String key = digest(utf8("ccache key " + UUID.randomUUID())).getHash();
    byte[] ccacheEntry = new byte[] {'c', 'C', 'a', 'C', 0, 5, 1, 2, 3, (byte) 0xff};
    assertThat(send("GET", "/ac/" + key, null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/ac/" + key, ccacheEntry).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ac/" + key, null).body()).isEqualTo(ccacheEntry);
    assertThat(send("HEAD", "/ac/" + key, null).statusCode()).isEqualTo(200);
    assertThat(send("DELETE", "/ac/" + key, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ac/" + key, null).statusCode()).isEqualTo(404);
  }

  @Test
  void actionResultsAreSharedBetweenHttpAndGrpc() throws Exception {
    byte[] out = utf8("object " + UUID.randomUUID());
    grpc.upload(out);
    ActionResult result = ActionResult.newBuilder().addOutputFiles(OutputFile.newBuilder().setPath("a.o").setDigest(digest(out))).build();
    Digest viaGrpc = digest(utf8("grpc action " + UUID.randomUUID()));
    grpc.ac.updateActionResult(UpdateActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(viaGrpc).setActionResult(result).build());
    assertThat(ActionResult.parseFrom(send("GET", "/main/ac/" + viaGrpc.getHash(), null).body())).isEqualTo(result);

    Digest viaHttp = digest(utf8("http action " + UUID.randomUUID()));
    assertThat(send("PUT", "/main/ac/" + viaHttp.getHash(), result.toByteArray()).statusCode()).isEqualTo(200);
    assertThat(grpc.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(viaHttp).build())).isEqualTo(result);
  }

  @Test
  void badPathsMethodsAndOversizeBodies() throws Exception {
    assertThat(send("GET", "/cas/not-a-hash", null).statusCode()).isIn(400, 404);
    assertThat(send("GET", "/ac/" + "A".repeat(64), null).statusCode()).isIn(400, 404);
    String hash = digest(utf8("x")).getHash();
    assertThat(send("POST", "/cas/" + hash, utf8("x")).statusCode()).isEqualTo(405);
    assertThat(send("DELETE", "/cas/" + hash, null).statusCode()).isEqualTo(405);
    byte[] huge = new byte[(256 << 20) + 1];
    assertThat(send("PUT", "/cas/" + digest(huge).getHash(), huge).statusCode()).isEqualTo(413);
    assertThat(send("GET", "/healthz", null).statusCode()).isEqualTo(200);
  }
}
