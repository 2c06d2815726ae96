package dev.kiln.scheduler.grpc;

import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
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
 */
public final class GrpcBindings {
  private GrpcBindings() {}

  /** A unary method whose handler completes a future with the response. */
  public static <Q, R> void unary(GrpcServer server, ServiceMethod<Q, R> method, Function<Q, Future<R>> handler) {
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
   * size limit with RESOURCE_EXHAUSTED, and a handler that throws ends the call with its status.
   */
  public static <Q, R> void messages(GrpcServerRequest<Q, R> call, ServiceMethod<Q, R> method, Handler<Q> handler) {
    call.invalidMessageHandler(e -> fail(call.response(), e instanceof MessageSizeOverflowException
        ? FarmException.of(Code.RESOURCE_EXHAUSTED, "request message of %s is over the server's limit", method.fullMethodName())
        : FarmException.invalidArgument("request message of %s is invalid: %s", method.fullMethodName(), e.getMessage())));
    call.messageHandler(msg -> {
      Q request;
      try {
        request = method.decoder().decode(identity(msg));
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

  private static GrpcMessage identity(GrpcMessage msg) {
    String enc = msg.encoding();
    if (enc == null || enc.equals("identity")) {
      return msg;
    }
    if (!enc.equals("gzip")) {
      throw FarmException.invalidArgument("grpc-encoding %s is not supported", enc);
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(msg.payload().getBytes()))) {
      return GrpcMessage.message("identity", msg.format(), Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw FarmException.invalidArgument("gzip request message does not decompress: %s", e.getMessage());
    }
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
