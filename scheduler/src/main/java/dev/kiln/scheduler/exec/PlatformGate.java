package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.Platform;
import com.google.rpc.Code;
import dev.kiln.action.PlatformRequirements;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Admits an action only when some live worker offers its platform: the queue is one topic for
 * every worker, so an action no worker can run would otherwise sit there until it expires. With no
 * match it re-reads the registry every {@code recheck} (a worker may be starting) and after
 * {@code wait} fails with FAILED_PRECONDITION naming what is missing (REAPI: "no worker
 * available"). Waiting is a timer, never a blocked thread. An action without requirements passes
 * at once, as before. The live-worker list is reused for {@code maxAge} while it matches.
 */
final class PlatformGate {
  private final WorkerRegistry registry;
  private final Clock clock;
  private final Duration wait;
  private final Duration recheck;
  private final Duration maxAge;
  private volatile Snapshot snapshot = new Snapshot(Instant.EPOCH, List.of());

  private record Snapshot(Instant taken, List<WorkerHeartbeat> workers) {}

  PlatformGate(WorkerRegistry registry, Clock clock, Duration wait, Duration recheck, Duration maxAge) {
    this.registry = registry;
    this.clock = clock;
    this.wait = wait;
    this.recheck = recheck;
    this.maxAge = maxAge;
  }

  /** Completes when a live worker offers {@code required}; fails with FAILED_PRECONDITION after the wait. */
  CompletionStage<Void> await(Platform required) {
    if (PlatformRequirements.requirements(required).isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return attempt(required, clock.instant().plus(wait), false);
  }

  private CompletionStage<Void> attempt(Platform required, Instant deadline, boolean fresh) {
    return workers(fresh).thenCompose(live -> {
      if (live.stream().anyMatch(w -> PlatformRequirements.satisfiedBy(required, w.getPropertiesList()))) {
        return CompletableFuture.completedFuture(null);
      }
      if (!fresh) {
        return attempt(required, deadline, true); // the reused list may predate the worker that matches
      }
      if (!clock.instant().isBefore(deadline)) {
        throw unmatched(required, live);
      }
      return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(recheck.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(v -> attempt(required, deadline, true));
    });
  }

  private CompletionStage<List<WorkerHeartbeat>> workers(boolean fresh) {
    Snapshot s = snapshot;
    if (!fresh && clock.instant().isBefore(s.taken().plus(maxAge))) {
      return CompletableFuture.completedFuture(s.workers());
    }
    return registry.live().thenApply(live -> {
      snapshot = new Snapshot(clock.instant(), live);
      return live;
    });
  }

  private FarmException unmatched(Platform required, List<WorkerHeartbeat> live) {
    List<Platform.Property> nobody = PlatformRequirements.requirements(required).stream()
        .filter(r -> live.stream().noneMatch(w -> PlatformRequirements.satisfiedBy(Platform.newBuilder().addProperties(r).build(),
            w.getPropertiesList())))
        .toList();
    String what = nobody.isEmpty()
        ? "no live worker offers all of " + PlatformRequirements.describe(PlatformRequirements.requirements(required)) + " together"
        : "no live worker offers " + PlatformRequirements.describe(nobody);
    return FarmException.of(Code.FAILED_PRECONDITION, "%s (%d live workers, waited %d s): no worker available for this platform",
        what, live.size(), wait.toSeconds());
  }
}
