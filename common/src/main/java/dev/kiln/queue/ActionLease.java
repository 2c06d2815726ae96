package dev.kiln.queue;

import dev.kiln.proto.events.QueuedAction;

/**
 * One delivery of a queued action to one worker slot. Exactly one of {@link #complete()},
 * {@link #release()} or {@link #reject()} must be called, from the thread that obtained the lease.
 * Delivery is at-least-once: a lease that is never settled (the worker died) is delivered again,
 * with a higher {@link #deliveryCount()}.
 */
public interface ActionLease {
  QueuedAction action();

  /** 1 on the first delivery. */
  int deliveryCount();

  /** The action is done (successfully or not); never deliver it again. */
  void complete();

  /** This worker cannot run it now; deliver it again (possibly elsewhere). */
  void release();

  /** The action is poison; drop it. */
  void reject();
}
