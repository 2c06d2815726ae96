package dev.kiln.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import dev.kiln.proto.events.QueuedAction;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The worker's metrics port over a real HTTP client: slots, per-phase histograms, outcomes. */
class WorkerMetricsTest {
  private static Timestamp at(long millis) {
    return Timestamp.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
  }

  /** Queued at 0, started 100, inputs 100-150, run 150-950, upload 950-1000. */
  private static ExecuteResponse ran(int exit) {
    return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(exit).setExecutionMetadata(ExecutedActionMetadata.newBuilder()
        .setQueuedTimestamp(at(10_000)).setWorkerStartTimestamp(at(10_100)).setInputFetchStartTimestamp(at(10_100))
        .setInputFetchCompletedTimestamp(at(10_150)).setExecutionStartTimestamp(at(10_150)).setExecutionCompletedTimestamp(at(10_950))
        .setOutputUploadStartTimestamp(at(10_950)).setOutputUploadCompletedTimestamp(at(11_000)).setWorkerCompletedTimestamp(at(11_000)))).build();
  }

  @Test
  void servesSlotsPhaseHistogramsAndOutcomesInPrometheusText() throws Exception {
    AtomicInteger busy = new AtomicInteger(3);
    try (WorkerMetrics metrics = new WorkerMetrics("127.0.0.1", 0, "worker-7", "default", 4, busy::get)) {
      metrics.wrap(a -> ran(0)).execute(QueuedAction.getDefaultInstance());
      metrics.wrap(a -> ran(2)).execute(QueuedAction.getDefaultInstance());
      assertThatThrownBy(() -> metrics.wrap(a -> {
        throw new IllegalStateException("no inputs");
      }).execute(QueuedAction.getDefaultInstance())).hasMessage("no inputs");

      Timer execution = metrics.registry().get(MeteredActionExecutor.PHASE).tag("phase", "execution").timer();
      assertThat(execution.count()).isEqualTo(2);
      assertThat(execution.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1600);
      assertThat(metrics.registry().get(MeteredActionExecutor.PHASE).tag("phase", "queue_wait").timer().totalTime(TimeUnit.MILLISECONDS))
          .isEqualTo(200);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue(MetricsServer.CONTENT_TYPE);
      assertThat(r.body()).contains("kiln_worker_slots{state=\"busy\",worker=\"worker-7\"} 3.0")
          .contains("kiln_worker_slots{state=\"idle\",worker=\"worker-7\"} 1.0")
          .contains("kiln_worker_action_phase_seconds_bucket{phase=\"input_fetch\",pool=\"default\",worker=\"worker-7\",le=")
          .contains("kiln_worker_action_phase_seconds_count{phase=\"total\",pool=\"default\",worker=\"worker-7\"} 2")
          .contains("kiln_worker_actions_total{outcome=\"ok\",pool=\"default\",worker=\"worker-7\"} 1.0")
          .contains("kiln_worker_actions_total{outcome=\"failed\",pool=\"default\",worker=\"worker-7\"} 1.0")
          .contains("kiln_worker_actions_total{outcome=\"exception\",pool=\"default\",worker=\"worker-7\"} 1.0")
          .contains("jvm_memory_used_bytes");
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/other")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPortInUseIsOneClearError() {
    try (WorkerMetrics first = new WorkerMetrics("127.0.0.1", 0, "w", "default", 1, () -> 0)) {
      assertThatThrownBy(() -> new WorkerMetrics("127.0.0.1", first.port(), "w", "default", 1, () -> 0))
          .hasMessageContaining("cannot serve worker metrics on 127.0.0.1:" + first.port()).hasMessageContaining("--metrics-port");
    }
  }
}
