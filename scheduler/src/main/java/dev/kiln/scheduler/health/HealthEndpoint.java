package dev.kiln.scheduler.health;

import build.bazel.remote.execution.v2.ActionCacheGrpcService;
import build.bazel.remote.execution.v2.CapabilitiesGrpcService;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpcService;
import build.bazel.remote.execution.v2.ExecutionGrpcService;
import com.google.bytestream.ByteStreamGrpcService;
import dev.kiln.common.FarmException;
import dev.kiln.proto.health.HealthCheckRequest;
import dev.kiln.proto.health.HealthCheckResponse;
import dev.kiln.proto.health.HealthCheckResponse.ServingStatus;
import dev.kiln.proto.health.HealthGrpcService;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.grpc.GrpcBindings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServerRequest;
import java.time.Duration;
import java.util.Set;

/**
 * {@code grpc.health.v1.Health} on the front node's port. The server as a whole ({@code ""}) and
 * each service it serves are SERVING when the farm is ready ({@link FarmReadiness}'s rule, the
 * same as {@code /readyz}) and NOT_SERVING otherwise. Check answers NOT_FOUND for another name;
 * Watch sends SERVICE_UNKNOWN for one and keeps the call open, as the protocol asks. Watch sends
 * the current status, then each change, found by re-reading the readiness every {@code poll}
 * while the client keeps the call open.
 */
public final class HealthEndpoint {
  /** The names a client may ask about. */
  public static final Set<String> SERVICES = Set.of("",
      ExecutionGrpcService.SERVICE_NAME.fullyQualifiedName(),
      ActionCacheGrpcService.SERVICE_NAME.fullyQualifiedName(),
      ContentAddressableStorageGrpcService.SERVICE_NAME.fullyQualifiedName(),
      CapabilitiesGrpcService.SERVICE_NAME.fullyQualifiedName(),
      ByteStreamGrpcService.SERVICE_NAME.fullyQualifiedName(),
      HealthGrpcService.SERVICE_NAME.fullyQualifiedName());

  private final Vertx vertx;
  private final Readiness readiness;
  private final Duration poll;

  public HealthEndpoint(Vertx vertx, Readiness readiness, Duration poll) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.poll = poll;
  }

  public void bind(GrpcBindings grpc) {
    grpc.unary(HealthGrpcService.Check, this::check);
    grpc.server().callHandler(HealthGrpcService.Watch, call -> grpc.messages(call, HealthGrpcService.Watch, req -> watch(call, req)));
  }

  private Future<HealthCheckResponse> check(HealthCheckRequest req) {
    if (!SERVICES.contains(req.getService())) {
      return Future.failedFuture(FarmException.notFound("unknown service %s", req.getService()));
    }
    return status().map(HealthEndpoint::response);
  }

  private void watch(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call, HealthCheckRequest req) {
    if (!SERVICES.contains(req.getService())) {
      call.response().write(response(ServingStatus.SERVICE_UNKNOWN));
      return;
    }
    new Watcher(call).open();
  }

  /** SERVING or NOT_SERVING; a readiness check that fails counts as not ready. */
  private Future<ServingStatus> status() {
    return Blocking.attempt(() -> Blocking.onContext(readiness.problems()))
        .map(problems -> problems.isEmpty() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING)
        .otherwise(ServingStatus.NOT_SERVING);
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }

  /** One open Watch call. All its state is touched on its context only. */
  private final class Watcher {
    private final GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call;
    private ServingStatus sent;
    private long timer = -1;
    private boolean closed;

    Watcher(GrpcServerRequest<HealthCheckRequest, HealthCheckResponse> call) {
      this.call = call;
    }

    void open() {
      call.errorHandler(e -> close());
      call.exceptionHandler(e -> close());
      timer = vertx.setPeriodic(poll.toMillis(), id -> refresh());
      refresh();
    }

    private void refresh() {
      status().onSuccess(status -> {
        if (closed || status == sent) {
          return;
        }
        sent = status;
        call.response().write(response(status)).onFailure(e -> close());
      });
    }

    private void close() {
      closed = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }
}
