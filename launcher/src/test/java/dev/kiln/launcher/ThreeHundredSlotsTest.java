package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The farm that never became ready under the old queue (one share consumer per slot, 300 members
 * past Kafka's default 200): 30 workers x 10 slots, 300 distinct actions sent at once. Every slot
 * takes one and they all run at once: each action started before any finished, 10 per worker.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ThreeHundredSlotsTest {
  private static final int WORKERS = 30;
  private static final int SLOTS = 10;

  @Test
  void everySlotOfThirtyWorkersTakesWorkInOneRound() throws Exception {
    try (EmbeddedFarm farm = FarmFixture.start(WORKERS, SLOTS, Duration.ofSeconds(5)); ReapiClient client = new ReapiClient(farm.port())) {
      List<Digest> actions = new ArrayList<>();
      for (int i = 0; i < WORKERS * SLOTS; i++) {
        // Long enough that starting 300 sandboxes on a loaded 2-core machine ends before the first finishes.
        actions.add(client.action("/bin/sh", "-c", "sleep 25 # " + UUID.randomUUID()));
      }
      ExecutorService callers = Executors.newFixedThreadPool(actions.size());
      try {
        List<Future<ExecuteResponse>> calls = actions.stream().map(a -> callers.submit(() -> client.execute(a, true))).toList();
        List<ExecutedActionMetadata> runs = new ArrayList<>();
        for (Future<ExecuteResponse> call : calls) {
          ExecuteResponse r = call.get(300, TimeUnit.SECONDS);
          assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isZero();
          assertThat(r.getResult().getExitCode()).isZero();
          runs.add(r.getResult().getExecutionMetadata());
        }
        Timestamp lastStart = runs.stream().map(ExecutedActionMetadata::getExecutionStartTimestamp).max(Timestamps.comparator()).orElseThrow();
        Timestamp firstEnd = runs.stream().map(ExecutedActionMetadata::getExecutionCompletedTimestamp).min(Timestamps.comparator()).orElseThrow();
        assertThat(Timestamps.comparator().compare(lastStart, firstEnd)).as("every action started before the first one finished").isNegative();
        Map<String, Long> perWorker = runs.stream().collect(Collectors.groupingBy(ExecutedActionMetadata::getWorker, Collectors.counting()));
        assertThat(perWorker).hasSize(WORKERS);
        assertThat(perWorker.values()).allMatch(n -> n == SLOTS);
      } finally {
        callers.shutdownNow();
      }
    }
  }
}
