package dev.kiln.scheduler.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One evaluation shared by every caller, reused until it is older than the maximum age. */
class CachedReadinessTest {
  private final AtomicLong now = new AtomicLong();
  private final List<CompletableFuture<List<String>>> evaluations = new ArrayList<>();
  private final CachedReadiness cached = new CachedReadiness(() -> {
    CompletableFuture<List<String>> f = new CompletableFuture<>();
    evaluations.add(f);
    return f;
  }, Duration.ofSeconds(1), now::get);

  @Test
  void callersShareTheEvaluationInFlight() {
    CompletionStage<List<String>> a = cached.problems();
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    CompletionStage<List<String>> b = cached.problems();
    assertThat(evaluations).hasSize(1);
    evaluations.get(0).complete(List.of("no worker with an alive slot"));
    assertThat(Futures.await(a)).containsExactly("no worker with an alive slot");
    assertThat(Futures.await(b)).containsExactly("no worker with an alive slot");
  }

  @Test
  void aFinishedEvaluationIsReusedUntilItIsTooOld() {
    cached.problems();
    evaluations.get(0).complete(List.of());
    now.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(Futures.await(cached.problems())).isEmpty();
    assertThat(evaluations).hasSize(1);

    now.addAndGet(Duration.ofMillis(1).toNanos());
    CompletionStage<List<String>> fresh = cached.problems();
    assertThat(evaluations).hasSize(2);
    evaluations.get(1).complete(List.of("cache unreachable: gone"));
    assertThat(Futures.await(fresh)).containsExactly("cache unreachable: gone");
  }

  @Test
  void aFailedEvaluationFailsItsCallersAndIsRetriedLater() {
    CompletionStage<List<String>> a = cached.problems();
    evaluations.get(0).completeExceptionally(new IllegalStateException("boom"));
    assertThat(a.toCompletableFuture()).isCompletedExceptionally();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    cached.problems();
    assertThat(evaluations).hasSize(2);
  }
}
