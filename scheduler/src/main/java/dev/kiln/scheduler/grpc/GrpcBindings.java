package dev.kiln.scheduler.grpc;

import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Base64;
import java.util.function.Function;

/**
 * Binds handlers to gRPC methods and maps every error to the wire: a {@link FarmException}'s
 * code becomes the gRPC status, and its typed details (e.g. PreconditionFailure) travel in the
 * {@code grpc-status-details-bin} trailer, where grpc-java clients such as Bazel look for them.
 */
public final class GrpcBindings {
  private GrpcBindings() {}

  /** A unary method whose handler completes a future with the response. */
  public static <Q, R> void unary(GrpcServer server, ServiceMethod<Q, R> method, Function<Q, Future<R>> handler) {
    server.callHandler(method, call -> call.handler(request ->
        Blocking.attempt(() -> handler.apply(request)).onComplete(ar -> {
          if (ar.succeeded()) {
            call.response().end(ar.result());
          } else {
            fail(call.response(), ar.cause());
          }
        })));
  }

  /** Ends the call with the status of {@code error}. */
  public static void fail(GrpcServerResponse<?, ?> response, Throwable error) {
    FarmException fe = FarmException.from(error);
    response.status(GrpcStatus.valueOf(fe.code().getNumber()));
    response.statusMessage(String.valueOf(fe.getMessage()));
    if (!fe.details().isEmpty()) {
      response.trailers().set("grpc-status-details-bin", Base64.getEncoder().withoutPadding().encodeToString(fe.toStatus().toByteArray()));
    }
    response.end();
  }
}
