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
import dev.kiln.queue.InMemoryQueue;
import dev.kiln.state.InMemoryExecutionState;
import dev.kiln.testing.Blobs;
import dev.kiln.worker.exec.ActionExecutor;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The slot's lease loop over the in-memory queue and state. */
class WorkerSlotTest {
  private final InMemoryQueue queue = new InMemoryQueue();
  private final InMemoryExecutionState state = new InMemoryExecutionState();
  private final AtomicInteger runs = new AtomicInteger();

  private QueuedAction action(String name) {
    return QueuedAction.newBuilder().setOperationName(name).setActionDigest(Digest.of(Blobs.utf8(name)).toProto()).build();
  }

  private Optional<OperationRecord> runOnce(ActionExecutor executor, QueuedAction a, int limit) throws Exception {
    Futures.await(queue.enqueue(a));
    WorkerSlot slot = new WorkerSlot(queue::newSource, executor, state,
        new ResultReporter(state, state, queue, "w", Clock.systemUTC()), limit, new AtomicInteger());
    Thread t = new Thread(slot);
    t.start();
    for (int i = 0; i < 200 && !Futures.await(state.get(a.getOperationName())).map(OperationRecord::getDone).orElse(false); i++) {
      Thread.sleep(10);
    }
    slot.stop();
    t.join(5000);
    return Futures.await(state.get(a.getOperationName()));
  }

  private ActionExecutor counting(ExecuteResponse response) {
    return a -> {
      runs.incrementAndGet();
      return response;
    };
  }

  @Test
  void runsTheActionAndRecordsTheResult() throws Exception {
    ExecuteResponse ok = ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(0)).build();
    OperationRecord r = runOnce(counting(ok), action("operations/a"), 5).orElseThrow();
    assertThat(r.getDone()).isTrue();
    assertThat(r.getResponse()).isEqualTo(ok);
    assertThat(r.getWorker()).isEqualTo("w");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailureToRunBecomesTheResponseStatus() throws Exception {
    OperationRecord r = runOnce(a -> {
      throw FarmException.invalidArgument("bad action");
    }, action("operations/b"), 5).orElseThrow();
    assertThat(r.getResponse().getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(r.getResponse().hasResult()).isTrue();
  }

  @Test
  void infrastructureErrorsAreRetriedUntilTheLastDeliveryThenFailCleanly() throws Exception {
    OperationRecord r = runOnce(a -> {
      runs.incrementAndGet();
      throw FarmException.unavailable("CAS unreachable");
    }, action("operations/c"), 3).orElseThrow();
    assertThat(runs).hasValue(2);
    assertThat(r.getResponse().getStatus().getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
  }

  @Test
  void theLastAllowedDeliveryFailsTheActionWithoutRunningIt() throws Exception {
    QueuedAction a = action("operations/poison");
    Futures.await(queue.enqueue(a));
    var crashed = queue.newSource();
    crashed.next(java.time.Duration.ofSeconds(1)).orElseThrow();
    crashed.close();
    WorkerSlot slot = new WorkerSlot(queue::newSource, counting(ExecuteResponse.getDefaultInstance()), state,
        new ResultReporter(state, state, queue, "w", Clock.systemUTC()), 2, new AtomicInteger());
    Thread t = new Thread(slot);
    t.start();
    for (int i = 0; i < 200 && Futures.await(state.get(a.getOperationName())).isEmpty(); i++) {
      Thread.sleep(10);
    }
    slot.stop();
    t.join(5000);
    assertThat(Futures.await(state.get(a.getOperationName())).orElseThrow().getResponse().getStatus().getCode()).isEqualTo(Code.ABORTED_VALUE);
    assertThat(runs).hasValue(0);
  }

  @Test
  void aRedeliveredActionThatIsAlreadyDoneIsNotRunAgain() throws Exception {
    QueuedAction a = action("operations/d");
    ExecuteResponse done = ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(7)).build();
    Futures.await(state.put(OperationRecord.newBuilder().setName(a.getOperationName()).setDone(true).setResponse(done).build()));
    Futures.await(queue.enqueue(a));
    var source = queue.newSource();
    source.next(java.time.Duration.ofSeconds(1)).orElseThrow();
    source.close();
    assertThat(runOnce(counting(done), action("operations/other"), 5)).isPresent();
    assertThat(runs).hasValue(1);
    assertThat(Futures.await(state.get(a.getOperationName())).orElseThrow().getResponse()).isEqualTo(done);
  }

  @Test
  void anErrorInsideAnActionFailsItAndTheSlotGoesOnServing() throws Exception {
    ActionExecutor ooms = a -> {
      runs.incrementAndGet();
      if (a.getOperationName().endsWith("bad")) {
        throw new OutOfMemoryError("Java heap space");
      }
      return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(0)).build();
    };
    Futures.await(queue.enqueue(action("operations/bad")));
    Futures.await(queue.enqueue(action("operations/good")));
    WorkerSlot slot = new WorkerSlot(queue::newSource, ooms, state, new ResultReporter(state, state, queue, "w", Clock.systemUTC()), 5,
        new AtomicInteger());
    Thread t = new Thread(slot);
    t.start();
    for (int i = 0; i < 300 && !Futures.await(state.get("operations/good")).map(OperationRecord::getDone).orElse(false); i++) {
      Thread.sleep(10);
    }
    assertThat(slot.alive()).isTrue();
    slot.stop();
    t.join(5000);
    OperationRecord bad = Futures.await(state.get("operations/bad")).orElseThrow();
    assertThat(bad.getResponse().getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(bad.getResponse().getStatus().getMessage()).contains("OutOfMemoryError");
    assertThat(Futures.await(state.get("operations/good")).orElseThrow().getDone()).isTrue();
    assertThat(runs).hasValue(2);
    assertThat(slot.alive()).isFalse();
  }
}
