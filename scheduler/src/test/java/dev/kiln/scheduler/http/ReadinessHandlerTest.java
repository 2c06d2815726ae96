package dev.kiln.scheduler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.proto.health.HealthCheckRequest;
import dev.kiln.proto.health.HealthCheckResponse.ServingStatus;
import dev.kiln.proto.health.HealthGrpc;
import dev.kiln.queue.KafkaReachability;
import dev.kiln.scheduler.TestFrontNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /livez} and {@code /readyz} through a real front node. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessHandlerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(TestFrontNode front, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void heartbeat(TestFrontNode front, String id, int aliveSlots) {
    Futures.await(front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(aliveSlots).build()));
  }

  @Test
  void livezAnswersWhateverTheFarm() throws Exception {
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config())) {
      HttpResponse<String> r = get(front, "/livez");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok\n");
    }
  }

  @Test
  void readyzNeedsAnAliveSlot() throws Exception {
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config())) {
      heartbeat(front, "w1", 0);
      HttpResponse<String> notReady = get(front, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("no worker with an alive slot (1 worker(s) registered)\n");
    }
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config())) {
      heartbeat(front, "w1", 1);
      HttpResponse<String> ready = get(front, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ok\n");
      assertThat(get(front, "/healthz").body()).startsWith("ok: 1 worker(s), 1 alive slot(s)");
    }
  }

  @Test
  void anUnreachableBrokerIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String bootstrap = "127.0.0.1:" + closedPort;
    try (KafkaReachability broker = new KafkaReachability(bootstrap, "readiness-test", Duration.ofMillis(500), Duration.ofSeconds(2));
         TestFrontNode front = new TestFrontNode(TestFrontNode.config(), broker::problems)) {
      heartbeat(front, "w1", 1);
      HttpResponse<String> r = get(front, "/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("broker unreachable at " + bootstrap + ": ").doesNotContain("worker").doesNotContain("cache");
      assertThat(get(front, "/livez").statusCode()).isEqualTo(200);
      assertThat(get(front, "/healthz").statusCode()).isEqualTo(200);

      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().build();
      try {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.NOT_SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
