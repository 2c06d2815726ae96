package dev.kiln.scheduler.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Shares one evaluation of a {@link Readiness} among its callers: probes, {@code /readyz} and every
 * open {@code Watch} stream on every event loop. At most one evaluation runs at a time, and a
 * finished one is reused until {@code maxAge} has passed since it began, so the farm is asked at
 * most about once per {@code maxAge} however many callers there are.
 */
public final class CachedReadiness implements Readiness {
  private final Readiness inner;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private CompletableFuture<List<String>> current;
  private long startedAt;

  public CachedReadiness(Readiness inner, Duration maxAge) {
    this(inner, maxAge, System::nanoTime);
  }

  CachedReadiness(Readiness inner, Duration maxAge, LongSupplier nanoTime) {
    this.inner = inner;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized CompletionStage<List<String>> problems() {
    long now = nanoTime.getAsLong();
    if (current == null || (current.isDone() && now - startedAt >= maxAgeNanos)) {
      startedAt = now;
      current = evaluate();
    }
    return current.minimalCompletionStage();
  }

  private CompletableFuture<List<String>> evaluate() {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    try {
      inner.problems().whenComplete((problems, e) -> {
        if (e != null) {
          result.completeExceptionally(e);
        } else {
          result.complete(List.copyOf(problems));
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }
}
