package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.InMemoryExecutionState;
import dev.kiln.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkerGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemoryExecutionState state = new InMemoryExecutionState();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final WorkerGauges gauges = new WorkerGauges(state, registry, clock, Duration.ofSeconds(2));

  private void heartbeat(String id, int slots, int busy) {
    state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(slots).setBusy(busy).build()).toCompletableFuture().join();
  }

  private double workers() {
    return registry.get("kiln.workers").gauge().value();
  }

  private double slots(String state) {
    return registry.get("kiln.worker.slots").tag("state", state).gauge().value();
  }

  @Test
  void sumsTheLiveWorkersSlots() {
    heartbeat("w1", 4, 1);
    heartbeat("w2", 2, 2);
    gauges.refresh().join();
    assertThat(workers()).isEqualTo(2);
    assertThat(slots("alive")).isEqualTo(6);
    assertThat(slots("busy")).isEqualTo(3);
  }

  @Test
  void readsTheRegistryAtMostOncePerMaxAge() {
    heartbeat("w1", 4, 0);
    gauges.refresh().join();
    heartbeat("w2", 4, 4);
    gauges.refresh().join();
    assertThat(workers()).isEqualTo(1);
    assertThat(slots("busy")).isZero();

    clock.advance(Duration.ofSeconds(2));
    gauges.refresh().join();
    assertThat(workers()).isEqualTo(2);
    assertThat(slots("alive")).isEqualTo(8);
    assertThat(slots("busy")).isEqualTo(4);
  }

  @Test
  void zeroBeforeAnyRefreshAndWhenNoWorkerIsLive() {
    assertThat(workers()).isZero();
    gauges.refresh().join();
    assertThat(workers()).isZero();
    assertThat(slots("alive")).isZero();
  }
}
