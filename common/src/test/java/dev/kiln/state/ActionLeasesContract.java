package dev.kiln.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.RunningAction;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every lease store must do. */
public abstract class ActionLeasesContract {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  protected abstract ActionLeases leases();

  private static QueuedAction action() {
    return QueuedAction.newBuilder().setOperationName("operations/" + UUID.randomUUID()).setUser("ann").build();
  }

  private Set<String> orphanNames(Set<String> live, Instant before) {
    return Set.copyOf(Futures.await(leases().orphans(live, before)).stream().map(r -> r.getAction().getOperationName()).toList());
  }

  @Test
  void aLeaseOfADeadWorkerIsAnOrphanOnceOldEnough() {
    QueuedAction a = action();
    Futures.await(leases().take(a, "w-dead", T0));
    assertThat(orphanNames(Set.of("w-live"), T0)).doesNotContain(a.getOperationName());
    assertThat(orphanNames(Set.of("w-live"), T0.plusSeconds(1))).contains(a.getOperationName());
    assertThat(orphanNames(Set.of("w-dead"), T0.plusSeconds(1))).doesNotContain(a.getOperationName());
    RunningAction orphan = Futures.await(leases().orphans(Set.of(), T0.plusSeconds(1))).stream()
        .filter(r -> r.getAction().getOperationName().equals(a.getOperationName())).findFirst().orElseThrow();
    assertThat(orphan.getAction()).isEqualTo(a);
    assertThat(orphan.getWorkerId()).isEqualTo("w-dead");
  }

  @Test
  void finishEndsOnlyTheHoldersLease() {
    QueuedAction a = action();
    Futures.await(leases().take(a, "w1", T0));
    Futures.await(leases().finish(a.getOperationName(), "w2"));
    assertThat(orphanNames(Set.of(), T0.plusSeconds(1))).contains(a.getOperationName());
    Futures.await(leases().finish(a.getOperationName(), "w1"));
    assertThat(orphanNames(Set.of(), T0.plusSeconds(1))).doesNotContain(a.getOperationName());
  }

  @Test
  void reassignMovesTheLeaseOnceAndKeepsTheAction() {
    QueuedAction a = action();
    Futures.await(leases().take(a, "w-dead", T0));
    assertThat(Futures.await(leases().reassign(a.getOperationName(), "w-dead", "reaper-1", T0.plusSeconds(5)))).isTrue();
    assertThat(Futures.await(leases().reassign(a.getOperationName(), "w-dead", "reaper-2", T0.plusSeconds(5)))).isFalse();
    RunningAction moved = Futures.await(leases().orphans(Set.of(), T0.plusSeconds(6))).stream()
        .filter(r -> r.getAction().getOperationName().equals(a.getOperationName())).findFirst().orElseThrow();
    assertThat(moved.getWorkerId()).isEqualTo("reaper-1");
    assertThat(moved.getAction()).isEqualTo(a);
    assertThat(Futures.await(leases().reassign("operations/none", "w-dead", "reaper-1", T0))).isFalse();
  }

  @Test
  void aNewHolderReplacesTheOld() {
    QueuedAction a = action();
    Futures.await(leases().take(a, "w1", T0));
    Futures.await(leases().take(a, "w2", T0));
    Futures.await(leases().finish(a.getOperationName(), "w2"));
    assertThat(orphanNames(Set.of(), T0.plusSeconds(1))).doesNotContain(a.getOperationName());
  }
}
