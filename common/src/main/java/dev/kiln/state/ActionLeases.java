package dev.kiln.state;

import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.RunningAction;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Who runs which action right now. A worker takes a lease before it acknowledges the queue record,
 * so from then on the lease, not the queue, is what brings the action back if the worker dies: a
 * reaper hands actions whose owner stopped heart-beating back to the queue.
 */
public interface ActionLeases {
  /** {@code workerId} now runs {@code action} (replacing any earlier holder). */
  CompletionStage<Void> take(QueuedAction action, String workerId, Instant now);

  /** The action is settled; ends the lease if {@code workerId} still holds it. */
  CompletionStage<Void> finish(String operationName, String workerId);

  /** Leases taken before {@code takenBefore} whose holder is not in {@code liveWorkers}. */
  CompletionStage<List<RunningAction>> orphans(Set<String> liveWorkers, Instant takenBefore);

  /** Atomically moves the lease from {@code from} to {@code to}; false if {@code from} no longer holds it. */
  CompletionStage<Boolean> reassign(String operationName, String from, String to, Instant now);
}
