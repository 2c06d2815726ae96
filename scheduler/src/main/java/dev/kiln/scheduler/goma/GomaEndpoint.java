package dev.kiln.scheduler.goma;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.kiln.common.FarmException;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.LookupFileReq;
import dev.kiln.proto.goma.StoreFileReq;
import dev.kiln.proto.goma.StoreFileResp;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.AccessGate;
import dev.kiln.scheduler.http.BoundedBody;
import dev.kiln.scheduler.records.Requester;
import dev.kiln.scheduler.records.Requesters;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The Goma HTTP protocol under {@code /cxx-compiler-service/} (goma-protocol.md §1): {@code /ping}
 * (GET or POST), the file service {@code /s} and {@code /l}, {@code /sl}, and {@code /e}. Query
 * strings (e.g. {@code ?rbe}) are ignored. Bodies are binary protobuf, compressed per
 * {@link GomaBodies}; every 200 carries {@code Accept-Encoding: gzip, deflate} so the client keeps
 * compressing. Status codes as the client expects: 400 for a body that does not parse (never
 * 401/403/302, which would disable the client for minutes), 413 over the size limit (counted while
 * the body arrives, and again after decompression), 5xx for
 * trouble worth retrying; errors about the compile itself travel inside a 200 ExecResp.
 */
public final class GomaEndpoint implements Handler<HttpServerRequest> {
  public static final String PREFIX = "/cxx-compiler-service/";

  private final GomaFileService files;
  private final GomaCompile compile;
  private final AccessGate gate;
  private final long execLimit;
  private final long fileLimit;
  private final Requesters requesters;

  /**
   * {@code execLimit} bounds an /e body, {@code fileLimit} the others, both raw and decompressed;
   * {@code requesters} names who asked for each compile.
   */
  public GomaEndpoint(GomaFileService files, GomaCompile compile, AccessGate gate, long execLimit, long fileLimit, Requesters requesters) {
    this.requesters = requesters;
    this.files = files;
    this.compile = compile;
    this.gate = gate;
    this.execLimit = execLimit;
    this.fileLimit = fileLimit;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String rpc = req.path().substring(PREFIX.length());
    Access access = gate.access(req);
    if (access == Access.DENIED) {
      plain(req.response(), 401, "invalid or unknown token");
      return;
    }
    if (rpc.equals("ping")) {
      ok(req.response(), "text/plain", Buffer.buffer("ok\n"));
      return;
    }
    long limit = rpc.equals("e") ? execLimit : fileLimit;
    if (req.method() != HttpMethod.POST) {
      plain(req.response(), 405, "POST binary/x-protocol-buffer to " + req.path());
      return;
    }
    BoundedBody.read(req, limit).compose(body -> Blocking.attempt(() -> {
      byte[] raw = GomaBodies.decode(req.getHeader("content-encoding"), body.getBytes(), limit);
      return call(rpc, raw, access == Access.CACHE_ONLY, req);
    })).onComplete(ar -> {
      if (ar.succeeded()) {
        String enc = GomaBodies.responseEncoding(req.getHeader("accept-encoding"));
        byte[] bytes = ar.result().toByteArray();
        if (bytes.length > 0 && !enc.equals("identity")) {
          req.response().putHeader("content-encoding", enc);
          bytes = GomaBodies.encode(enc, bytes);
        }
        ok(req.response(), "binary/x-protocol-buffer", Buffer.buffer(bytes));
      } else {
        fail(req.response(), ar.cause());
      }
    });
  }

  private Future<MessageLite> call(String rpc, byte[] body, boolean cacheOnly, HttpServerRequest http) throws InvalidProtocolBufferException {
    switch (rpc) {
      case "s":
        StoreFileReq store = StoreFileReq.parseFrom(body);
        if (cacheOnly) {
          // Nothing is stored for cache-only clients: every blob is answered as not stored.
          return Future.succeededFuture(StoreFileResp.newBuilder().addAllHashKey(java.util.Collections.nCopies(store.getBlobCount(), "")).build());
        }
        return Blocking.onContext(files.store(store)).map(r -> r);
      case "l":
        return Blocking.onContext(files.lookup(LookupFileReq.parseFrom(body))).map(r -> r);
      case "sl":
        return Future.succeededFuture(dev.kiln.proto.goma.EmptyMessage.getDefaultInstance());
      case "e":
        ExecReq exec = ExecReq.parser().parsePartialFrom(body);
        String address = http.remoteAddress() == null ? "" : http.remoteAddress().hostAddress();
        return exec(exec, cacheOnly, requesters.goma(exec, http.getHeader("authorization"), address)).map(r -> r);
      default:
        throw FarmException.notFound("unknown Goma RPC /%s", rpc);
    }
  }

  /**
   * A well-formed request goes to {@link GomaCompile}; a request the client got wrong is answered
   * with {@code error = BAD_REQUEST} (no retry, the client compiles locally) naming the problem.
   */
  private Future<ExecResp> exec(ExecReq req, boolean cacheOnly, Requester who) {
    if (!req.isInitialized()) {
      return Future.succeededFuture(badRequest("ExecReq is missing required field(s): " + String.join(", ", req.findInitializationErrors())));
    }
    return Blocking.attempt(() -> compile.exec(req, cacheOnly, who)).recover(e -> {
      FarmException fe = FarmException.from(e);
      if (fe.code() == com.google.rpc.Code.INVALID_ARGUMENT || fe.code() == com.google.rpc.Code.FAILED_PRECONDITION) {
        return Future.succeededFuture(badRequest(fe.getMessage()));
      }
      return Future.failedFuture(fe);
    });
  }

  private static ExecResp badRequest(String why) {
    return ExecResp.newBuilder().setError(ExecResp.ExecError.BAD_REQUEST).addErrorMessage(why)
        .setResult(ExecResult.newBuilder().setExitStatus(-1)).build();
  }

  private static void ok(HttpServerResponse resp, String type, Buffer body) {
    resp.setStatusCode(200).putHeader("content-type", type).putHeader("accept-encoding", "gzip, deflate").end(body);
  }

  private static void fail(HttpServerResponse resp, Throwable e) {
    FarmException fe = e instanceof InvalidProtocolBufferException
        ? FarmException.invalidArgument("bad request: body is not a valid message: %s", e.getMessage()) : FarmException.from(e);
    int status = switch (fe.code()) {
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case RESOURCE_EXHAUSTED -> 413;
      case UNAVAILABLE -> 503;
      default -> 500;
    };
    plain(resp, status, String.valueOf(fe.getMessage()));
  }

  private static void plain(HttpServerResponse resp, int status, String body) {
    if (!resp.ended()) {
      resp.setStatusCode(status).putHeader("content-type", "text/plain").end(body + "\n");
    }
  }
}
