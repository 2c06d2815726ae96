package dev.kiln.scheduler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.scheduler.TestFrontNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /healthz} through a real front node: healthy only with at least one alive slot. */
class HealthHandlerTest {
  private final TestFrontNode front = new TestFrontNode(TestFrontNode.config());
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    front.close();
  }

  private HttpResponse<String> healthz() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void heartbeat(String id, int aliveSlots) {
    Futures.await(front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(aliveSlots).build()));
  }

  @Test
  void noWorkerIsUnhealthy() throws Exception {
    HttpResponse<String> r = healthz();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("0 worker(s), 0 alive slot(s)");
  }

  @Test
  void workersWhoseSlotsAllDiedAreUnhealthy() throws Exception {
    heartbeat("w1", 0);
    heartbeat("w2", 0);
    HttpResponse<String> r = healthz();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("unhealthy").contains("2 worker(s), 0 alive slot(s)");
  }

  @Test
  void oneAliveSlotAnywhereIsHealthy() throws Exception {
    heartbeat("w1", 0);
    heartbeat("w2", 1);
    HttpResponse<String> r = healthz();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("ok: 2 worker(s), 1 alive slot(s)");
  }
}
