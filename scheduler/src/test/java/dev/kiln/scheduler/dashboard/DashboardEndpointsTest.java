package dev.kiln.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.RequestMetadata;
import dev.kiln.ac.ActionKey;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.scheduler.TestFrontNode;
import dev.kiln.scheduler.records.Requesters;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's endpoints on a real front node (real Vert.x server, grpc-java and HTTP clients,
 * in-memory cluster): the page and its assets, a GetActionResult hit recorded with the requester's
 * build id and listed by {@code /actions}, precise 400s, and the event stream's first snapshot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardEndpointsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestFrontNode front;

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config());
    front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId("worker-a").setHost("host-a").setSlots(4).setBusy(1).build());
  }

  @AfterAll
  static void stop() {
    front.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndItsAssetsFromTheClasspath() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<title>Kiln farm</title>").contains("/farm/dashboard.js").doesNotContain("http://").doesNotContain("https://");
    assertThat(get("/farm/dashboard.js").body()).contains("new EventSource('/events')");
    assertThat(get("/farm/dashboard.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
  }

  @Test
  void recordsACacheHitWithItsBuildAndListsIt() throws Exception {
    String build = "inv-" + UUID.randomUUID();
    Digest action = Digest.newBuilder().setHash(Hashing.sha256Hex(build.getBytes())).setSizeBytes(build.length()).build();
    front.actionCache.put(new ActionKey("", dev.kiln.common.Digest.fromProto(action)), ActionResult.newBuilder().setExitCode(0).build())
        .toCompletableFuture().join();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(Requesters.METADATA_HEADER, Metadata.BINARY_BYTE_MARSHALLER),
        RequestMetadata.newBuilder().setToolInvocationId(build).setActionMnemonic("Genrule").build().toByteArray());
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().build();
    try {
      ActionCacheGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .getActionResult(GetActionResultRequest.newBuilder().setActionDigest(action).build());
    } finally {
      channel.shutdownNow();
    }
    HttpResponse<String> listed = get("/actions?build=" + build);
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonArray actions = new JsonObject(listed.body()).getJsonArray("actions");
    assertThat(actions).hasSize(1);
    JsonObject r = actions.getJsonObject(0);
    assertThat(r.getString("cache")).isEqualTo("hit");
    assertThat(r.getString("status")).isEqualTo("ok");
    assertThat(r.getString("user")).isEqualTo("127.0.0.1");
    assertThat(r.getString("label")).isEqualTo("Genrule");
    assertThat(r.getString("protocol")).isEqualTo("reapi");
  }

  @Test
  void aBadQueryIsA400NamingWhatIsAllowed() throws Exception {
    HttpResponse<String> r = get("/actions?status=weird");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("ok, failed, error, hit, miss");
  }

  @Test
  void theEventStreamSendsASnapshotAtOnce() throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      while (!line.startsWith("data: ")) {
        line = in.readLine();
      }
      JsonObject snapshot = new JsonObject(line.substring(6));
      assertThat(snapshot.getString("node")).isEqualTo("front-test");
      assertThat(snapshot.getJsonArray("minutes")).hasSize(60);
      JsonObject worker = snapshot.getJsonArray("workers").getJsonObject(0);
      assertThat(worker.getString("id")).isEqualTo("worker-a");
      assertThat(worker.getInteger("slots")).isEqualTo(4);
      assertThat(worker.getInteger("busy")).isEqualTo(1);
    }
  }
}
