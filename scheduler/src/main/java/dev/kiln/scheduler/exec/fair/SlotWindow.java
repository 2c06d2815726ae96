package dev.kiln.scheduler.exec.fair;

import dev.kiln.state.WorkerRegistry;
import io.vertx.core.Vertx;

/**
 * Keeps a {@link FairAdmission}'s window at the farm's live slots (read every second) and sweeps
 * for missed completions every ten seconds. Neither blocks the event loop: both are async calls.
 */
public final class SlotWindow implements AutoCloseable {
  private final Vertx vertx;
  private final long windowTimer;
  private final long sweepTimer;

  public SlotWindow(Vertx vertx, WorkerRegistry workers, FairAdmission fair) {
    this.vertx = vertx;
    this.windowTimer = vertx.setPeriodic(0, 1_000, id -> workers.live()
        .thenAccept(live -> fair.setWindow((int) Math.min(Integer.MAX_VALUE, WorkerRegistry.aliveSlots(live)))));
    this.sweepTimer = vertx.setPeriodic(10_000, id -> fair.sweep());
  }

  @Override
  public void close() {
    vertx.cancelTimer(windowTimer);
    vertx.cancelTimer(sweepTimer);
  }
}
