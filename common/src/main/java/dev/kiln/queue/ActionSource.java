package dev.kiln.queue;

import java.time.Duration;
import java.util.Optional;

/**
 * A worker's side of the work queue. Not thread-safe: one source per worker, used from its
 * leasing thread. The lease from {@link #next} must be settled before {@code next} is called again.
 */
public interface ActionSource extends AutoCloseable {
  /** Waits up to {@code timeout} for an action. */
  Optional<ActionLease> next(Duration timeout);

  /** Records one poll may return (the rest of a poll is kept and handed out by later {@link #next} calls). */
  default int batch() {
    return 1;
  }

  /** Whether {@link #next} has a record from an earlier poll to hand out without asking the broker. */
  default boolean hasBuffered() {
    return false;
  }

  /**
   * Sends settlements that would otherwise ride on the next {@link #next} call; the worker calls it
   * before it stops polling for a while (all its slots busy).
   */
  default void flush() {}

  /** Leaves the queue; unsettled leases are delivered again elsewhere. */
  @Override
  void close();
}
