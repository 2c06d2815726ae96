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

  /** Leaves the queue; unsettled leases are delivered again elsewhere. */
  @Override
  void close();
}
