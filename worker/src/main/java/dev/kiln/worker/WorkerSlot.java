package dev.kiln.worker;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.queue.ActionLease;
import dev.kiln.queue.ActionSource;
import dev.kiln.state.ExecutionStateReader;
import dev.kiln.worker.exec.ActionExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution slot: leases an action, runs it, reports the result, then acknowledges the lease.
 * Acknowledging last is what makes a worker's death safe: an unacknowledged action is delivered
 * to another slot. Delivery is at-least-once, so an operation already done is only acknowledged.
 */
final class WorkerSlot implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSlot.class);

  private final Supplier<ActionSource> sources;
  private final ActionExecutor executor;
  private final ExecutionStateReader operations;
  private final ResultReporter reporter;
  private final int deliveryLimit;
  private final AtomicInteger busy;
  private volatile boolean stopping;
  private volatile boolean killed;
  private volatile boolean alive = true;

  WorkerSlot(Supplier<ActionSource> sources, ActionExecutor executor, ExecutionStateReader operations,
      ResultReporter reporter, int deliveryLimit, AtomicInteger busy) {
    this.sources = sources;
    this.executor = executor;
    this.operations = operations;
    this.reporter = reporter;
    this.deliveryLimit = deliveryLimit;
    this.busy = busy;
  }

  void stop() {
    stopping = true;
  }

  /** Abandons the current action without acknowledging it, as a crashed worker would. */
  void kill() {
    killed = true;
    stopping = true;
  }

  /** False once the slot's thread has ended (stopped, or died of something it could not survive). */
  boolean alive() {
    return alive;
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (Throwable t) {
      LOG.error("worker slot died: {}", t.toString(), t);
      throw t;
    } finally {
      alive = false;
    }
  }

  private void loop() {
    while (!stopping) {
      try (ActionSource source = sources.get()) {
        while (!stopping) {
          Optional<ActionLease> lease = source.next(Duration.ofMillis(500));
          if (lease.isPresent()) {
            handle(lease.get());
          }
        }
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        // Broker or cache trouble: leave the group (unsettled leases go to other slots), retry.
        LOG.warn("worker slot lost its queue connection, rejoining in 1 s: {}", e.toString());
        pause(1000);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(ActionLease lease) {
    QueuedAction action = lease.action();
    // Only a redelivered action can already be done (its worker died after reporting it).
    if (lease.deliveryCount() > 1 && Futures.await(operations.get(action.getOperationName())).map(r -> r.getDone()).orElse(false)) {
      lease.complete();
      return;
    }
    if (lease.deliveryCount() >= deliveryLimit) {
      reporter.completed(action, failure(FarmException.of(Code.ABORTED,
          "action was delivered %d times and every worker that took it died or gave up; not running it again", lease.deliveryCount())));
      lease.complete();
      return;
    }
    busy.incrementAndGet();
    try {
      reporter.executing(action);
      ExecuteResponse response;
      try {
        response = executor.execute(action);
      } catch (Error e) {
        // OutOfMemoryError and the like: the action is to blame far more often than the farm, and
        // handing it to the next slot would only take that slot down too. Fail it, keep serving.
        if (killed) {
          return;
        }
        LOG.error("action {} broke the worker ({}); failing it", action.getOperationName(), e.toString());
        response = failure(FarmException.of(Code.RESOURCE_EXHAUSTED, "the worker could not run this action: %s", e));
      } catch (RuntimeException e) {
        FarmException fe = FarmException.from(e);
        if (killed) {
          return;
        }
        if (fe.isInfrastructureError() && lease.deliveryCount() + 1 < deliveryLimit) {
          LOG.warn("releasing {} after infrastructure error: {}", action.getOperationName(), fe.getMessage());
          lease.release();
          return;
        }
        response = failure(fe);
      }
      if (killed) {
        return;
      }
      reporter.completed(action, response);
      lease.complete();
    } finally {
      busy.decrementAndGet();
    }
  }

  private static ExecuteResponse failure(FarmException e) {
    return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(-1)).setStatus(e.toStatus())
        .setMessage(e.getMessage()).build();
  }
}
