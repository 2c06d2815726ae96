package dev.kiln.scheduler.grpc;

import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import com.google.rpc.Code;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Base64;
import java.util.function.Function;

/**
 * Binds handlers to gRPC methods and maps every error to the wire: a {@link FarmException}'s
 * code becomes the gRPC status, and its typed details (e.g. PreconditionFailure) travel in the
 * {@code grpc-status-details-bin} trailer, where grpc-java clients such as Bazel look for them.
 * One instance per server, because a gzip request message is bounded by the server's message
 * limit once decompressed too.
 */
public final class GrpcBindings {
  private final GrpcServer server;
  private final long maxMessageBytes;

  public GrpcBindings(GrpcServer server, long maxMessageBytes) {
    this.server = server;
    this.maxMessageBytes = maxMessageBytes;
  }

  public GrpcServer server() {
    return server;
  }

  /** A unary method whose handler completes a future with the response. */
  public <Q, R> void unary(ServiceMethod<Q, R> method, Function<Q, Future<R>> handler) {
    server.callHandler(method, call -> messages(call, method, request ->
        Blocking.attempt(() -> handler.apply(request)).onComplete(ar -> {
          if (ar.succeeded()) {
            call.response().end(ar.result());
          } else {
            fail(call.response(), ar.cause());
          }
        })));
  }

  /**
   * Hands each request message of {@code call} to {@code handler}. A message that does not parse
   * is answered with INVALID_ARGUMENT (Vert.x's own decoding would reset the stream), one over the
   * size limit (on the wire or decompressed) with RESOURCE_EXHAUSTED, and a handler that throws
   * ends the call with its status.
   */
  public <Q, R> void messages(GrpcServerRequest<Q, R> call, ServiceMethod<Q, R> method, Handler<Q> handler) {
    call.invalidMessageHandler(e -> fail(call.response(), e instanceof MessageSizeOverflowException
        ? FarmException.of(Code.RESOURCE_EXHAUSTED, "request message of %s is over the server's limit", method.fullMethodName())
        : FarmException.invalidArgument("request message of %s is invalid: %s", method.fullMethodName(), e.getMessage())));
    call.messageHandler(msg -> {
      Q request;
      try {
        request = method.decoder().decode(GrpcGzip.identity(msg, maxMessageBytes));
      } catch (FarmException e) {
        fail(call.response(), e);
        return;
      } catch (RuntimeException e) {
        fail(call.response(), FarmException.invalidArgument("request message of %s does not parse: %s", method.fullMethodName(), e.getMessage()));
        return;
      }
      try {
        handler.handle(request);
      } catch (RuntimeException e) {
        fail(call.response(), e);
      }
    });
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
