package dev.kiln.scheduler.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The readiness rule over fakes: broker, cache and one alive slot, every problem reported. */
class FarmReadinessTest {
  private static final Readiness BROKER_OK = Readiness.none();
  private static final Readiness BROKER_DOWN = () -> CompletableFuture.completedFuture(List.of("broker unreachable at kafka:9092: timed out"));

  /** A registry answering {@code live} with a fixed stage. */
  private static WorkerRegistry registry(CompletionStage<List<WorkerHeartbeat>> live) {
    return registry(() -> live);
  }

  /** A registry answering each {@code live} with what {@code live} supplies. */
  private static WorkerRegistry registry(Supplier<CompletionStage<List<WorkerHeartbeat>>> live) {
    return new WorkerRegistry() {
      @Override
      public CompletionStage<Void> heartbeat(WorkerHeartbeat heartbeat) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletionStage<List<WorkerHeartbeat>> live() {
        return live.get();
      }

      @Override
      public CompletionStage<Void> remove(String workerId) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static WorkerRegistry workers(int... slots) {
    List<WorkerHeartbeat> live = java.util.Arrays.stream(slots)
        .mapToObj(s -> WorkerHeartbeat.newBuilder().setWorkerId("w" + s).setSlots(s).build()).toList();
    return registry(CompletableFuture.completedFuture(live));
  }

  private static List<String> problems(Readiness broker, WorkerRegistry registry) {
    return Futures.await(new FarmReadiness(broker, registry, Duration.ofMillis(200)).problems());
  }

  @Test
  void readyWithBrokerCacheAndOneAliveSlot() {
    assertThat(problems(BROKER_OK, workers(0, 2))).isEmpty();
  }

  @Test
  void noAliveSlotIsNotReady() {
    assertThat(problems(BROKER_OK, workers(0, 0))).containsExactly("no worker with an alive slot (2 worker(s) registered)");
    assertThat(problems(BROKER_OK, workers())).containsExactly("no worker with an alive slot (0 worker(s) registered)");
  }

  @Test
  void brokerProblemsPassThrough() {
    assertThat(problems(BROKER_DOWN, workers(1))).containsExactly("broker unreachable at kafka:9092: timed out");
  }

  @Test
  void aFailingRegistryIsAnUnreachableCache() {
    List<String> p = problems(BROKER_OK, registry(CompletableFuture.failedFuture(new IllegalStateException("Hazelcast instance is not active!"))));
    assertThat(p).containsExactly("cache unreachable: Hazelcast instance is not active!");
  }

  @Test
  void aSilentRegistryIsAnUnreachableCache() {
    assertThat(problems(BROKER_OK, registry(new CompletableFuture<>()))).containsExactly("cache unreachable: no answer within 200 ms");
  }

  @Test
  void aSilentRegistryIsNotAskedAgainUntilItAnswers() {
    AtomicInteger reads = new AtomicInteger();
    CompletableFuture<List<WorkerHeartbeat>> silent = new CompletableFuture<>();
    FarmReadiness readiness = new FarmReadiness(BROKER_OK, registry(() -> {
      reads.incrementAndGet();
      return silent;
    }), Duration.ofMillis(100));
    assertThat(Futures.await(readiness.problems())).containsExactly("cache unreachable: no answer within 100 ms");
    assertThat(Futures.await(readiness.problems())).containsExactly("cache unreachable: no answer within 100 ms");
    assertThat(reads).hasValue(1);
    silent.complete(List.of(WorkerHeartbeat.newBuilder().setWorkerId("w").setSlots(1).build()));
    assertThat(Futures.await(readiness.problems())).isEmpty();
    assertThat(reads).hasValue(2);
  }

  @Test
  void aBrokerCheckThatThrowsOrIsSilentIsNotReady() {
    Readiness throwing = () -> {
      throw new IllegalStateException("admin client closed");
    };
    assertThat(problems(throwing, workers(1))).containsExactly("broker unreachable: admin client closed");
    assertThat(problems(CompletableFuture::new, workers(1))).containsExactly("broker unreachable: no answer within 200 ms");
  }

  @Test
  void everyProblemIsReported() {
    List<String> p = problems(BROKER_DOWN, registry(CompletableFuture.failedFuture(new RuntimeException("connection refused"))));
    assertThat(p).containsExactly("broker unreachable at kafka:9092: timed out", "cache unreachable: connection refused");
  }
}
