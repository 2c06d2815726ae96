package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.rpc.Code;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.queue.InMemoryQueue;
import dev.kiln.queue.LeaseReaper;
import dev.kiln.state.InMemoryActionLeases;
import dev.kiln.state.InMemoryExecutionState;
import dev.kiln.testing.Blobs;
import dev.kiln.worker.exec.ActionExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's one queue member, its slot threads, and the reaper, over the in-memory queue and state. */
class WorkerLeaserTest {
  private final InMemoryQueue queue = new InMemoryQueue();
  private final InMemoryExecutionState state = new InMemoryExecutionState();
  private final InMemoryActionLeases leases = new InMemoryActionLeases();
  private final LeaseReaper reaper = new LeaseReaper(leases, state, state, queue, "front", Duration.ZERO, Clock.systemUTC());
  private final AtomicInteger runs = new AtomicInteger();
  private final List<Worker> workers = new ArrayList<>();

  /** A leaser with its slot threads, as WorkerNode composes them. */
  private final class Worker {
    final String id;
    final AtomicBoolean killed = new AtomicBoolean();
    final ExecutorService slots;
    final WorkerLeaser leaser;
    final Thread thread;

    Worker(String id, ActionExecutor executor, int slotCount, int limit) {
      this.id = id;
      Futures.await(state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(slotCount).build()));
      slots = Executors.newFixedThreadPool(slotCount);
      BooleanSupplier isKilled = killed::get;
      ActionRun run = new ActionRun(executor, new ResultReporter(state, state, queue, id, Clock.systemUTC()), leases, id,
          new AtomicInteger(), isKilled, limit);
      leaser = new WorkerLeaser(queue::newSource, leases, state, new ResultReporter(state, state, queue, id, Clock.systemUTC()),
          new WorkerLeaser.Settings(id, slotCount, limit), slots, run::run, Clock.systemUTC());
      thread = new Thread(leaser, id + "-leaser");
      thread.start();
      workers.add(this);
    }

    /** As a crashed worker: stops leasing, reports nothing more, leaves the registry. */
    void kill() throws InterruptedException {
      killed.set(true);
      stop();
      Futures.await(state.remove(id));
    }

    void stop() throws InterruptedException {
      leaser.stop();
      thread.join(5000);
      slots.shutdownNow();
    }
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Worker w : workers) {
      w.stop();
    }
  }

  private static QueuedAction action(String name) {
    return QueuedAction.newBuilder().setOperationName(name).setActionDigest(Digest.of(Blobs.utf8(name)).toProto()).build();
  }

  private boolean done(String name) {
    return Futures.await(state.get(name)).map(OperationRecord::getDone).orElse(false);
  }

  private OperationRecord awaitDone(String name, boolean reap) throws InterruptedException {
    for (int i = 0; i < 500 && !done(name); i++) {
      if (reap) {
        Futures.await(reaper.sweep());
      }
      Thread.sleep(10);
    }
    return Futures.await(state.get(name)).orElseThrow();
  }

  private ActionExecutor counting(ExecuteResponse response) {
    return a -> {
      runs.incrementAndGet();
      return response;
    };
  }

  private static void hold(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FarmException.unavailable("interrupted");
    }
  }

  private static ExecuteResponse exit(int code) {
    return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(code)).build();
  }

  @Test
  void runsTheActionRecordsTheResultAndEndsTheLease() throws Exception {
    new Worker("w", counting(exit(0)), 1, 5);
    Futures.await(queue.enqueue(action("operations/a")));
    OperationRecord r = awaitDone("operations/a", false);
    assertThat(r.getResponse()).isEqualTo(exit(0));
    assertThat(r.getWorker()).isEqualTo("w");
    assertThat(runs).hasValue(1);
    assertThat(leases.size()).isZero();
  }

  @Test
  void oneMemberFillsEverySlot() throws Exception {
    CountDownLatch running = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    new Worker("w", a -> {
      running.countDown();
      hold(release);
      return exit(0);
    }, 3, 5);
    for (String n : List.of("operations/1", "operations/2", "operations/3", "operations/4")) {
      Futures.await(queue.enqueue(action(n)));
    }
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(leases.size()).isEqualTo(3);
    release.countDown();
    assertThat(awaitDone("operations/4", false).getDone()).isTrue();
  }

  @Test
  void aFailureToRunBecomesTheResponseStatus() throws Exception {
    new Worker("w", a -> {
      throw FarmException.invalidArgument("bad action");
    }, 1, 5);
    Futures.await(queue.enqueue(action("operations/b")));
    OperationRecord r = awaitDone("operations/b", false);
    assertThat(r.getResponse().getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(r.getResponse().hasResult()).isTrue();
  }

  @Test
  void infrastructureErrorsAreHandedBackUntilTheLastAttemptThenFailCleanly() throws Exception {
    new Worker("w", a -> {
      runs.incrementAndGet();
      throw FarmException.unavailable("CAS unreachable");
    }, 1, 3);
    Futures.await(queue.enqueue(action("operations/c")));
    OperationRecord r = awaitDone("operations/c", true);
    assertThat(runs).hasValue(2);
    assertThat(r.getResponse().getStatus().getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
  }

  @Test
  void theLastAllowedDeliveryFailsTheActionWithoutRunningIt() throws Exception {
    Futures.await(queue.enqueue(action("operations/poison")));
    var crashed = queue.newSource();
    crashed.next(Duration.ofSeconds(1)).orElseThrow();
    crashed.close();
    new Worker("w", counting(exit(0)), 1, 2);
    OperationRecord r = awaitDone("operations/poison", false);
    assertThat(r.getResponse().getStatus().getCode()).isEqualTo(Code.ABORTED_VALUE);
    assertThat(runs).hasValue(0);
  }

  @Test
  void aRedeliveredActionThatIsAlreadyDoneIsNotRunAgain() throws Exception {
    QueuedAction a = action("operations/d");
    Futures.await(state.put(OperationRecord.newBuilder().setName(a.getOperationName()).setDone(true).setResponse(exit(7)).build()));
    Futures.await(queue.enqueue(a.toBuilder().setRequeues(1).build()));
    Futures.await(queue.enqueue(action("operations/other")));
    new Worker("w", counting(exit(0)), 1, 5);
    awaitDone("operations/other", false);
    assertThat(runs).hasValue(1);
    assertThat(Futures.await(state.get(a.getOperationName())).orElseThrow().getResponse()).isEqualTo(exit(7));
  }

  @Test
  void theActionsOfAKilledWorkerAreRequeuedAndRunElsewhere() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Worker doomed = new Worker("w-doomed", a -> {
      started.countDown();
      hold(new CountDownLatch(1));
      return exit(1);
    }, 1, 5);
    Futures.await(queue.enqueue(action("operations/e")));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Futures.await(reaper.sweep())).isZero();
    doomed.kill();
    new Worker("w-heir", counting(exit(0)), 1, 5);
    OperationRecord r = awaitDone("operations/e", true);
    assertThat(r.getWorker()).isEqualTo("w-heir");
    assertThat(r.getResponse()).isEqualTo(exit(0));
    assertThat(runs).hasValue(1);
    assertThat(leases.size()).isZero();
  }

  @Test
  void anErrorInsideAnActionFailsItAndTheWorkerGoesOnServing() throws Exception {
    Worker w = new Worker("w", a -> {
      runs.incrementAndGet();
      if (a.getOperationName().endsWith("bad")) {
        throw new OutOfMemoryError("Java heap space");
      }
      return exit(0);
    }, 1, 5);
    Futures.await(queue.enqueue(action("operations/bad")));
    Futures.await(queue.enqueue(action("operations/good")));
    awaitDone("operations/good", false);
    assertThat(w.leaser.alive()).isTrue();
    OperationRecord bad = Futures.await(state.get("operations/bad")).orElseThrow();
    assertThat(bad.getResponse().getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(bad.getResponse().getStatus().getMessage()).contains("OutOfMemoryError");
    assertThat(runs).hasValue(2);
  }
}
