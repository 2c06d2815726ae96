package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Hashing;
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

/**
 * {@code GET /metrics} on a real embedded farm (KRaft broker, Hazelcast, front node, a sandboxed
 * worker): Prometheus text with JVM and Kiln series, requests counted, the Hazelcast-backed action
 * cache's lookups counted under the protocol that asked, the worker seen through its heartbeats.
 * Values are polled until they move (the class timeout bounds every wait).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  private static EmbeddedFarm farm;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    farm.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  private static String awaitValue(String series, double atLeast) throws Exception {
    String text = scrape();
    while (value(text, series) < atLeast) {
      Thread.sleep(200);
      text = scrape();
    }
    return text;
  }

  @Test
  void answersPrometheusTextWithKilnAndJvmSeries() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).contains("kiln_action_cache_lookups_total{protocol=\"reapi\",result=\"hit\"}")
        .contains("kiln_worker_slots{state=\"alive\"}").contains("kiln_operations_watched ")
        .contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_uptime_seconds");
  }

  @Test
  void countsAnHttpCacheMissAndItsRequest() throws Exception {
    String miss = "kiln_action_cache_lookups_total{protocol=\"http_cache\",result=\"miss\"}";
    String notFound = "kiln_requests_total{protocol=\"http_cache\",status=\"404\"}";
    String before = scrape();
    String hash = Hashing.sha256Hex(UUID.randomUUID().toString().getBytes());
    assertThat(get("/ac/" + hash).statusCode()).isEqualTo(404);
    String after = awaitValue(notFound, value(before, notFound) + 1);
    assertThat(value(after, miss) - value(before, miss)).isEqualTo(1);
  }

  @Test
  void seesTheWorkerAndItsSlot() throws Exception {
    String text = awaitValue("kiln_workers", 1);
    assertThat(value(text, "kiln_worker_slots{state=\"alive\"}")).isGreaterThanOrEqualTo(1);
  }
}
