package dev.kiln.queue;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.RunningAction;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.ActionLeases;
import dev.kiln.state.ExecutionStateReader;
import dev.kiln.state.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the actions of dead workers back on the queue. A lease is orphaned when its holder is not
 * in the worker registry (its heartbeat expired, or it handed the action back) and it is older than
 * {@code grace}. Each orphan is first moved to this reaper atomically, so of several front nodes
 * sweeping at once only one requeues it; then, unless the operation is already done, it is queued
 * again with one more requeue counted (the worker that takes it fails it cleanly past the attempt
 * limit); then the lease ends. A reaper that dies half-way leaves a lease held by a non-worker,
 * which the next sweep takes over: an action may run twice, never zero times.
 */
public final class LeaseReaper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);

  private final ActionLeases leases;
  private final WorkerRegistry workers;
  private final ExecutionStateReader operations;
  private final ActionQueue queue;
  private final String reaperId;
  private final Duration grace;
  private final Clock clock;

  public LeaseReaper(ActionLeases leases, WorkerRegistry workers, ExecutionStateReader operations, ActionQueue queue,
      String nodeId, Duration grace, Clock clock) {
    this.leases = leases;
    this.workers = workers;
    this.operations = operations;
    this.queue = queue;
    this.reaperId = "reaper-" + nodeId;
    this.grace = grace;
    this.clock = clock;
  }

  /** One sweep; completes with the number of actions requeued. */
  public CompletionStage<Integer> sweep() {
    return workers.live().thenCompose(live -> {
      Set<String> ids = live.stream().map(WorkerHeartbeat::getWorkerId).collect(Collectors.toSet());
      return leases.orphans(ids, clock.instant().minus(grace));
    }).thenCompose(orphans -> {
      List<CompletionStage<Boolean>> reaped = orphans.stream().map(this::reap).toList();
      return Futures.all(reaped).thenApply(done -> (int) done.stream().filter(Boolean::booleanValue).count());
    });
  }

  private CompletionStage<Boolean> reap(RunningAction orphan) {
    String name = orphan.getAction().getOperationName();
    return leases.reassign(name, orphan.getWorkerId(), reaperId, clock.instant()).thenCompose(mine -> {
      if (!mine) {
        return CompletableFuture.completedFuture(false);
      }
      return operations.get(name).thenCompose(record -> {
        if (record.map(r -> r.getDone()).orElse(false)) {
          return leases.finish(name, reaperId).thenApply(v -> false);
        }
        LOG.warn("requeueing {}: its worker {} is gone", name, orphan.getWorkerId());
        return queue.enqueue(orphan.getAction().toBuilder().setRequeues(orphan.getAction().getRequeues() + 1).build())
            .thenCompose(v -> leases.finish(name, reaperId)).thenApply(v -> true);
      });
    });
  }
}
