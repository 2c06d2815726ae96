package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import dev.kiln.ac.ActionKey;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.scheduler.TestFrontNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} on a real front node (real Vert.x server, real gRPC and HTTP clients):
 * a miss then a hit move the lookup counters of the protocol that asked, and the requests are
 * counted by protocol and status. Counters are compared before and after, so test order does not
 * matter; a counter is polled until it moves (the class timeout bounds the wait).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  private static TestFrontNode front;
  private static ManagedChannel channel;
  private static ActionCacheGrpc.ActionCacheBlockingStub ac;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().build();
    ac = ActionCacheGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    front.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String scrape() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return r.body();
  }

  /** The value of one series ({@code name{labels}} exactly as exposed), 0 when absent. */
  static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  /** Scrapes until {@code series} reaches {@code atLeast}; returns that scrape. */
  static String awaitValue(String series, double atLeast) throws Exception {
    String text = scrape();
    while (value(text, series) < atLeast) {
      Thread.sleep(50);
      text = scrape();
    }
    return text;
  }

  private static String lookups(String protocol, String result) {
    return "kiln_action_cache_lookups_total{protocol=\"" + protocol + "\",result=\"" + result + "\"}";
  }

  private static String requests(String protocol, String status) {
    return "kiln_requests_total{protocol=\"" + protocol + "\",status=\"" + status + "\"}";
  }

  private static Digest randomDigest() {
    byte[] data = UUID.randomUUID().toString().getBytes();
    return Digest.newBuilder().setHash(Hashing.sha256Hex(data)).setSizeBytes(data.length).build();
  }

  @Test
  void servesJvmAndKilnSeriesInPrometheusText() throws Exception {
    String text = scrape();
    assertThat(text).contains("# TYPE kiln_action_cache_lookups_total counter")
        .contains(lookups("reapi", "hit")).contains(lookups("goma", "miss")).contains(lookups("http_cache", "hit"))
        .contains("kiln_workers ").contains("kiln_worker_slots{state=\"alive\"}").contains("kiln_worker_slots{state=\"busy\"}")
        .contains("kiln_operations_watched ")
        .contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads").contains("jvm_classes_loaded_classes")
        .contains("process_uptime_seconds").contains("system_cpu_count");
  }

  @Test
  void aReapiMissThenHitMoveTheReapiCountersAndGrpcStatuses() throws Exception {
    String before = scrape();
    Digest action = randomDigest();
    GetActionResultRequest lookup = GetActionResultRequest.newBuilder().setActionDigest(action).build();
    assertThatThrownBy(() -> ac.getActionResult(lookup))
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    ac.updateActionResult(UpdateActionResultRequest.newBuilder().setActionDigest(action).setActionResult(ActionResult.newBuilder().setExitCode(0)).build());
    assertThat(ac.getActionResult(lookup).getExitCode()).isZero();

    String after = awaitValue(requests("grpc", "OK"), value(before, requests("grpc", "OK")) + 2);
    assertThat(value(after, lookups("reapi", "miss")) - value(before, lookups("reapi", "miss"))).isEqualTo(1);
    assertThat(value(after, lookups("reapi", "hit")) - value(before, lookups("reapi", "hit"))).isEqualTo(1);
    after = awaitValue(requests("grpc", "NOT_FOUND"), value(before, requests("grpc", "NOT_FOUND")) + 1);
    assertThat(value(after, lookups("http_cache", "hit")) - value(before, lookups("http_cache", "hit"))).isZero();
  }

  @Test
  void anHttpCacheMissThenHitMoveTheHttpCacheCountersAndStatuses() throws Exception {
    String before = scrape();
    String hash = Hashing.sha256Hex(UUID.randomUUID().toString().getBytes());
    assertThat(get("/ac/" + hash).statusCode()).isEqualTo(404);
    front.actionCache.put(new ActionKey("", hash), ActionResult.newBuilder().setExitCode(0).build()).toCompletableFuture().join();
    assertThat(get("/ac/" + hash).statusCode()).isEqualTo(200);

    String after = awaitValue(requests("http_cache", "200"), value(before, requests("http_cache", "200")) + 1);
    assertThat(value(after, lookups("http_cache", "miss")) - value(before, lookups("http_cache", "miss"))).isEqualTo(1);
    assertThat(value(after, lookups("http_cache", "hit")) - value(before, lookups("http_cache", "hit"))).isEqualTo(1);
    assertThat(value(after, requests("http_cache", "404")) - value(before, requests("http_cache", "404"))).isEqualTo(1);
    assertThat(value(after, lookups("reapi", "hit")) - value(before, lookups("reapi", "hit"))).isZero();
  }

  @Test
  void aCcacheEntryHitIsCountedOnceAsAnHttpCacheHit() throws Exception {
    String before = scrape();
    String hash = Hashing.sha256Hex(UUID.randomUUID().toString().getBytes());
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/ac/" + hash))
        .PUT(HttpRequest.BodyPublishers.ofString("ccache's own bytes")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(get("/ac/" + hash).statusCode()).isEqualTo(200);

    String after = awaitValue(requests("http_cache", "200"), value(before, requests("http_cache", "200")) + 2);
    assertThat(value(after, lookups("http_cache", "hit")) - value(before, lookups("http_cache", "hit"))).isEqualTo(1);
    assertThat(value(after, lookups("http_cache", "miss")) - value(before, lookups("http_cache", "miss"))).isZero();
  }

  @Test
  void workerGaugesFollowHeartbeats() throws Exception {
    front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId("metrics-w1").setSlots(3).setBusy(1).build()).toCompletableFuture().join();
    String text = awaitValue("kiln_workers", 1);
    assertThat(value(text, "kiln_worker_slots{state=\"alive\"}")).isGreaterThanOrEqualTo(3);
    assertThat(value(text, "kiln_worker_slots{state=\"busy\"}")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void otherMethodsAreRefusedAndCounted() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    awaitValue(requests("other", "405"), 1);
  }
}
