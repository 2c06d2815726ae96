package dev.kiln.state;

import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.RunningAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Leases in a map: the fake for tests. */
public final class InMemoryActionLeases implements ActionLeases {
  private final Map<String, RunningAction> leases = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> take(QueuedAction action, String workerId, Instant now) {
    leases.put(action.getOperationName(), LeaseRules.lease(action, workerId, now));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> finish(String operationName, String workerId) {
    leases.computeIfPresent(operationName, (k, v) -> v.getWorkerId().equals(workerId) ? null : v);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<RunningAction>> orphans(Set<String> liveWorkers, Instant takenBefore) {
    return CompletableFuture.completedFuture(leases.values().stream().filter(l -> LeaseRules.orphaned(l, liveWorkers, takenBefore)).toList());
  }

  @Override
  public CompletionStage<Boolean> reassign(String operationName, String from, String to, Instant now) {
    boolean[] moved = {false};
    leases.computeIfPresent(operationName, (k, v) -> {
      if (!v.getWorkerId().equals(from)) {
        return v;
      }
      moved[0] = true;
      return LeaseRules.lease(v.getAction(), to, now);
    });
    return CompletableFuture.completedFuture(moved[0]);
  }

  /** How many leases exist (tests). */
  public int size() {
    return leases.size();
  }
}
