package dev.kiln.worker;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.state.ActionLeases;
import dev.kiln.worker.exec.ActionExecutor;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased action on a slot thread: reports it executing, runs it, reports the result, then
 * ends the lease. What the worker cannot finish (an infrastructure error, a result it cannot
 * record) it hands back: the lease goes to a holder that is not a worker, so the reaper requeues
 * it at once. A killed worker does nothing more, and its leases are reaped once its heartbeat ends.
 */
final class ActionRun {
  private static final Logger LOG = LoggerFactory.getLogger(ActionRun.class);

  private final ActionExecutor executor;
  private final ResultReporter reporter;
  private final ActionLeases leases;
  private final String workerId;
  private final AtomicInteger busy;
  private final BooleanSupplier killed;
  private final int attemptLimit;

  ActionRun(ActionExecutor executor, ResultReporter reporter, ActionLeases leases, String workerId, AtomicInteger busy,
      BooleanSupplier killed, int attemptLimit) {
    this.attemptLimit = attemptLimit;
    this.executor = executor;
    this.reporter = reporter;
    this.leases = leases;
    this.workerId = workerId;
    this.busy = busy;
    this.killed = killed;
  }

  /** Runs {@code action}, delivered for the {@code attempt}-th time (1 on the first). */
  void run(QueuedAction action, int attempt) {
    busy.incrementAndGet();
    try {
      reporter.executing(action);
      ExecuteResponse response;
      try {
        response = executor.execute(action);
      } catch (Error e) {
        // OutOfMemoryError and the like: the action is to blame far more often than the farm, and
        // handing it to the next slot would only take that slot down too. Fail it, keep serving.
        LOG.error("action {} broke the worker ({}); failing it", action.getOperationName(), e.toString());
        response = failure(FarmException.of(Code.RESOURCE_EXHAUSTED, "the worker could not run this action: %s", e));
      } catch (RuntimeException e) {
        FarmException fe = FarmException.from(e);
        // On the last attempt the farm's trouble becomes the answer: nobody would run it again.
        if (fe.isInfrastructureError() && !killed.getAsBoolean() && attempt + 1 < attemptLimit) {
          LOG.warn("handing {} back after infrastructure error: {}", action.getOperationName(), fe.getMessage());
          handBack(action);
          return;
        }
        response = failure(fe);
      }
      if (killed.getAsBoolean()) {
        return;
      }
      try {
        reporter.completed(action, response);
        Futures.await(leases.finish(action.getOperationName(), workerId));
      } catch (RuntimeException e) {
        LOG.warn("could not record the result of {} ({}); handing it back", action.getOperationName(), e.toString());
        handBack(action);
      }
    } finally {
      busy.decrementAndGet();
    }
  }

  /** The lease moves to a non-worker holder dated at the epoch: the next reaper sweep requeues it. */
  private void handBack(QueuedAction action) {
    leases.reassign(action.getOperationName(), workerId, "handed-back-by-" + workerId, Instant.EPOCH)
        .exceptionally(e -> {
          LOG.warn("could not hand {} back ({}); it is requeued when this worker's heartbeat ends", action.getOperationName(), e.toString());
          return false;
        });
  }

  static ExecuteResponse failure(FarmException e) {
    return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(-1)).setStatus(e.toStatus())
        .setMessage(e.getMessage()).build();
  }
}
