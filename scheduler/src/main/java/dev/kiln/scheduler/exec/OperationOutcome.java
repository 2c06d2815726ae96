package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionStage;
import dev.kiln.scheduler.Blocking;
import dev.kiln.state.ExecutionStateReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Waits for an operation's result without a client stream (the Goma protocol's one-shot /e):
 * completes on the results event. The operation record is read once when the wait begins (an
 * operation that finished before the watch) and then only every {@code recheck} (the Execute
 * keepalive, 30 s by default) as a safety net for a missed event, not as a poll.
 */
public final class OperationOutcome {
  private final Vertx vertx;
  private final ExecutionStateReader operations;
  private final OperationWatchers watchers;
  private final Duration recheck;

  public OperationOutcome(Vertx vertx, ExecutionStateReader operations, OperationWatchers watchers, Duration recheck) {
    this.vertx = vertx;
    this.operations = operations;
    this.watchers = watchers;
    this.recheck = recheck;
  }

  public Future<ExecuteResponse> await(String operationName) {
    Context context = Vertx.currentContext();
    Promise<ExecuteResponse> done = Promise.promise();
    Runnable unwatch = watchers.watch(operationName, event -> {
      if (event.getStage() == ExecutionStage.Value.COMPLETED) {
        context.runOnContext(v -> done.tryComplete(event.getResponse()));
      }
    });
    long timer = vertx.setPeriodic(0, recheck.toMillis(), id -> Blocking.onContext(operations.get(operationName)).onSuccess(r -> {
      if (r.isPresent() && r.get().getDone()) {
        done.tryComplete(r.get().getResponse());
      }
    }));
    return done.future().onComplete(ar -> {
      unwatch.run();
      vertx.cancelTimer(timer);
    });
  }
}
