package dev.kiln.state;

import com.google.protobuf.Timestamp;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.RunningAction;
import java.time.Instant;
import java.util.Set;

/** What a lease is and when it is orphaned: one definition for every {@link ActionLeases}. */
final class LeaseRules {
  private LeaseRules() {}

  static RunningAction lease(QueuedAction action, String workerId, Instant now) {
    return RunningAction.newBuilder().setWorkerId(workerId).setAction(action)
        .setLeased(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
  }

  /** Taken before {@code takenBefore} (a fresh worker may not have heart-beaten yet) by a holder that is gone. */
  static boolean orphaned(RunningAction lease, Set<String> liveWorkers, Instant takenBefore) {
    Instant taken = Instant.ofEpochSecond(lease.getLeased().getSeconds(), lease.getLeased().getNanos());
    return taken.isBefore(takenBefore) && !liveWorkers.contains(lease.getWorkerId());
  }
}
