package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpcService;
import build.bazel.remote.execution.v2.ExecutionStage;
import build.bazel.remote.execution.v2.WaitExecutionRequest;
import com.google.longrunning.Operation;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import dev.kiln.proto.events.OperationEvent;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.exec.ExecutionCoordinator;
import dev.kiln.scheduler.exec.OperationWatchers;
import dev.kiln.scheduler.exec.Operations;
import dev.kiln.scheduler.exec.fair.Tenant;
import dev.kiln.scheduler.records.ActionJournal;
import dev.kiln.scheduler.records.Requester;
import dev.kiln.scheduler.records.Requesters;
import dev.kiln.state.ExecutionStateReader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * Execute and WaitExecution as server streams: a cache hit is one done Operation; otherwise the
 * first Operation is sent as soon as the action is queued (or joined), stage changes follow as
 * workers report them, and a keepalive update every {@code keepalive} re-reads the operation
 * from the cluster (so a missed event or a client that re-attaches elsewhere still finishes).
 * Execute's instance name is normalized here, before admission, so its result lands in the
 * action-cache namespace GetActionResult reads.
 */
public final class ExecutionEndpoint {
  private final Vertx vertx;
  private final ExecutionCoordinator coordinator;
  private final ExecutionStateReader operations;
  private final OperationWatchers watchers;
  private final Duration keepalive;
  private final Requesters requesters;
  private final ActionJournal journal;

  /** An endpoint that reports each cache answer and admission to {@code journal}, naming the requester with {@code requesters}. */
  public ExecutionEndpoint(Vertx vertx, ExecutionCoordinator coordinator, ExecutionStateReader operations,
      OperationWatchers watchers, Duration keepalive, Requesters requesters, ActionJournal journal) {
    this.requesters = requesters;
    this.journal = journal;
    this.vertx = vertx;
    this.coordinator = coordinator;
    this.operations = operations;
    this.watchers = watchers;
    this.keepalive = keepalive;
  }

  public void bind(GrpcBindings grpc) {
    grpc.server().callHandler(ExecutionGrpcService.Execute, call -> grpc.messages(call, ExecutionGrpcService.Execute, req -> execute(call, req)));
    grpc.server().callHandler(ExecutionGrpcService.WaitExecution, call -> grpc.messages(call, ExecutionGrpcService.WaitExecution, req -> waitExecution(call, req)));
  }

  private void execute(GrpcServerRequest<ExecuteRequest, Operation> call, ExecuteRequest raw) {
    ExecuteRequest req = raw.toBuilder().setInstanceName(InstanceNames.normalize(raw.getInstanceName())).build();
    Requester who = requesters.reapi(call.headers(), call.connection());
    Blocking.onContext(coordinator.admit(req, new Tenant(who.user(), who.build()))).onComplete(ar -> {
      if (ar.failed()) {
        GrpcBindings.fail(call.response(), ar.cause());
      } else if (ar.result().cached().isPresent()) {
        journal.served(who, ar.result().actionDigest(), ar.result().cached().get().getResult());
        call.response().end(Operations.done(ar.result().operationName(), ar.result().actionDigest(), ar.result().cached().get()));
      } else {
        journal.admitted(who, ar.result().operationName(), ar.result().actionDigest());
        new Stream(call, ar.result().operationName(), ar.result().actionDigest()).open(ExecutionStage.Value.QUEUED);
      }
    });
  }

  private void waitExecution(GrpcServerRequest<WaitExecutionRequest, Operation> call, WaitExecutionRequest req) {
    Blocking.onContext(operations.get(req.getName())).onComplete(ar -> {
      if (ar.failed()) {
        GrpcBindings.fail(call.response(), ar.cause());
        return;
      }
      Optional<OperationRecord> record = ar.result();
      if (record.isEmpty()) {
        GrpcBindings.fail(call.response(), FarmException.notFound("operation %s is unknown (expired or never existed)", req.getName()));
        return;
      }
      Digest digest = Digest.fromProto(record.get().getActionDigest());
      if (record.get().getDone()) {
        call.response().end(Operations.done(req.getName(), digest, record.get().getResponse()));
      } else {
        new Stream(call, req.getName(), digest).open(record.get().getStage());
      }
    });
  }

  /** One client stream waiting on one operation. All its state is touched on its context only. */
  private final class Stream {
    private final GrpcServerRequest<?, Operation> call;
    private final String name;
    private final Digest digest;
    private final Context context = Vertx.currentContext();
    private Runnable unwatch = () -> {};
    private long timer = -1;
    private boolean closed;

    Stream(GrpcServerRequest<?, Operation> call, String name, Digest digest) {
      this.call = call;
      this.name = name;
      this.digest = digest;
    }

    void open(ExecutionStage.Value stage) {
      call.errorHandler(e -> close());
      call.exceptionHandler(e -> close());
      unwatch = watchers.watch(name, event -> context.runOnContext(v -> onEvent(event)));
      call.response().write(Operations.pending(name, digest, stage));
      timer = vertx.setPeriodic(keepalive.toMillis(), id -> refresh(true));
      refresh(false);
    }

    private void onEvent(OperationEvent event) {
      if (closed) {
        return;
      }
      if (event.getStage() == ExecutionStage.Value.COMPLETED) {
        finish(event.getResponse());
      } else {
        call.response().write(Operations.pending(name, digest, event.getStage()));
      }
    }

    /** Re-reads the operation; finishes if it is done, else optionally sends its stage. */
    private void refresh(boolean sendPending) {
      Blocking.onContext(operations.get(name)).onComplete(ar -> {
        if (closed || ar.failed()) {
          return;
        }
        Optional<OperationRecord> r = ar.result();
        if (r.isPresent() && r.get().getDone()) {
          finish(r.get().getResponse());
        } else if (r.isPresent() && sendPending) {
          call.response().write(Operations.pending(name, digest, r.get().getStage()));
        }
      });
    }

    private void finish(ExecuteResponse response) {
      if (closed) {
        return;
      }
      close();
      call.response().end(Operations.done(name, digest, response));
    }

    private void close() {
      closed = true;
      unwatch.run();
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }
}
