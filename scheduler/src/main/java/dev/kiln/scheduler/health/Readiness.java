package dev.kiln.scheduler.health;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether some part of the farm is ready to serve: an empty list when it is, else one line per
 * problem, each naming what is wrong (e.g. "broker unreachable at kafka:9092: ..."). Never blocks
 * the caller: whatever waits on the network runs elsewhere and completes the stage.
 */
@FunctionalInterface
public interface Readiness {
  CompletionStage<List<String>> problems();

  /** Nothing to check (an in-process queue has no broker to reach). */
  static Readiness none() {
    return () -> CompletableFuture.completedFuture(List.of());
  }
}
