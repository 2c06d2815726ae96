package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.scheduler.FrontNodeConfig;
import dev.kiln.worker.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker role started with a metrics port ({@code kiln worker --metrics-port}) on a real embedded
 * farm (no other worker): after it runs a real sandboxed action, its {@code GET /metrics} counts the
 * action and has a histogram for each phase, and its slots as busy/idle.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerMetricsEndpointTest {
  @Test
  void aWorkersMetricsPortCountsItsActionsAndTimesTheirPhases() throws Exception {
    try (EmbeddedFarm farm = FarmFixture.start(0, 1, Duration.ofSeconds(30))) {
      WorkerConfig config = WorkerConfig.defaults("worker-m", 2, Files.createTempDirectory("kiln-worker-m"));
      WorkerRole worker = WorkerRole.start(config, WorkerRole.sandbox(config, false),
          SharedState.on(farm.hazelcast(), FrontNodeConfig.DEFAULT_MAX_BLOB_BYTES), farm.kafkaBootstrap(), KafkaShape.load(), "127.0.0.1", 0);
      try (ReapiClient client = new ReapiClient(farm.port())) {
        var action = client.action("sh", "-c", "echo " + UUID.randomUUID());
        assertThat(client.execute(action, true).getResult().getExitCode()).isZero();
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("kiln_worker_actions_total{outcome=\"ok\",pool=\"default\",worker=\"worker-m\"} 1.0")
            .contains("kiln_worker_slots{state=\"idle\",worker=\"worker-m\"} 2.0");
        for (String phase : new String[] {"queue_wait", "input_fetch", "execution", "output_upload", "total"}) {
          assertThat(text).contains("kiln_worker_action_phase_seconds_count{phase=\"" + phase + "\",pool=\"default\",worker=\"worker-m\"} 1");
        }
      } finally {
        worker.close();
      }
    }
  }
}
