package dev.kiln.scheduler.exec.fair;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ExecutionStage;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationEvent;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.scheduler.exec.Admission;
import dev.kiln.scheduler.exec.fair.FairAdmission.Scheduled;
import dev.kiln.state.InMemoryExecutionState;
import dev.kiln.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FairAdmissionTest {
  private final InMemoryExecutionState state = new InMemoryExecutionState();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final FairAdmission fair = new FairAdmission(0, state, clock);
  private final List<String> scheduled = new ArrayList<>();

  private CompletionStage<Scheduled> queue(String name) {
    scheduled.add(name);
    return CompletableFuture.completedFuture(new Scheduled(new Admission(name, Digest.of(new byte[0]), Optional.empty()), true));
  }

  private CompletionStage<Admission> submit(Tenant t) {
    return fair.submit(t, 0, this::queue);
  }

  private void complete(String name) {
    fair.accept(OperationEvent.newBuilder().setOperationName(name).setStage(ExecutionStage.Value.COMPLETED).build());
  }

  @Test
  void atMostTheWindowIsQueuedAndACompletionLetsTheNextIn() {
    fair.setWindow(2);
    List<CompletionStage<Admission>> admissions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      admissions.add(submit(Tenant.ANONYMOUS));
    }
    assertThat(scheduled).hasSize(2);
    assertThat(fair.waiting()).isEqualTo(3);
    assertThat(admissions.get(2).toCompletableFuture()).isNotDone();
    fair.accept(OperationEvent.newBuilder().setOperationName(scheduled.get(0)).setStage(ExecutionStage.Value.EXECUTING).build());
    assertThat(scheduled).hasSize(2);
    complete(scheduled.get(0));
    assertThat(scheduled).hasSize(3);
    assertThat(Futures.await(admissions.get(2)).operationName()).isEqualTo(scheduled.get(2));
    fair.setWindow(10);
    assertThat(scheduled).hasSize(5);
    assertThat(fair.inFlight()).isEqualTo(4);
  }

  @Test
  void aJoinedOrFailedActionFreesItsShareAtOnce() {
    fair.setWindow(1);
    CompletionStage<Admission> joined = fair.submit(Tenant.ANONYMOUS, 0,
        name -> CompletableFuture.completedFuture(new Scheduled(new Admission("operations/owner", Digest.of(new byte[0]), Optional.empty()), false)));
    assertThat(Futures.await(joined).operationName()).isEqualTo("operations/owner");
    CompletionStage<Admission> failed = fair.submit(Tenant.ANONYMOUS, 0, name -> CompletableFuture.failedFuture(FarmException.unavailable("broker down")));
    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(fair.inFlight()).isZero();
    submit(Tenant.ANONYMOUS);
    assertThat(scheduled).hasSize(1);
  }

  @Test
  void aMissedCompletionIsFoundByTheSweep() {
    fair.setWindow(1);
    submit(Tenant.ANONYMOUS);
    submit(Tenant.ANONYMOUS);
    String first = scheduled.get(0);
    Futures.await(state.put(OperationRecord.newBuilder().setName(first).setDone(true).build()));
    fair.sweep();
    assertThat(scheduled).hasSize(1);
    clock.advance(Duration.ofSeconds(31));
    fair.sweep();
    assertThat(scheduled).hasSize(2);
  }

  @Test
  void anotherUsersLaterBuildGetsFreedSlotsUntilTheUsersAreEven() {
    fair.setWindow(4);
    Tenant ann = new Tenant("ann", "big");
    Tenant bob = new Tenant("bob", "small");
    for (int i = 0; i < 50; i++) {
      fair.submit(ann, 0, name -> queue("ann:" + name));
    }
    for (int i = 0; i < 3; i++) {
      fair.submit(bob, 0, name -> queue("bob:" + name));
    }
    for (int i = 0; i < 3; i++) {
      complete(scheduled.get(i).substring("ann:".length()));
    }
    // ann had 4 running and 46 waiting; bob's first two take the next two free slots, then 2:2 is even.
    assertThat(scheduled.subList(4, 7)).extracting(s -> s.substring(0, 3)).containsExactly("bob", "bob", "ann");
  }
}
