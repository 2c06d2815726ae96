package dev.kiln.scheduler.http;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a plain-HTTP request body counting bytes as they arrive, because {@code req.body()}
 * buffers a chunked upload (no Content-Length) whole before any limit can apply. Over the limit
 * (declared or counted) the request is answered 413 at once, nothing more is kept, and the
 * connection is closed (HTTP/1.1, {@code connection: close}) or the stream reset (HTTP/2). On
 * HTTP/1.1 the close lingers (what is still sent is read and dropped, up to the limit itself, at
 * most {@link #DRAIN_BYTES}, or for {@link #DRAIN_MILLIS}), so a client still writing a body just
 * over the limit reads the 413 instead of a reset.
 */
public final class BoundedBody {
  static final long DRAIN_BYTES = 16L << 20;
  static final long DRAIN_MILLIS = 2_000;

  private BoundedBody() {}

  /**
   * The body, or a failed future (RESOURCE_EXHAUSTED) once the request has been answered 413.
   * Call before the request handler returns, so no byte is missed.
   */
  public static Future<Buffer> read(HttpServerRequest req, long limit) {
    Promise<Buffer> body = Promise.promise();
    String length = req.getHeader("content-length");
    if (length != null && declared(length) > limit) {
      refuse(req, limit, body);
      return body.future();
    }
    Buffer buf = Buffer.buffer();
    req.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if ((long) buf.length() + chunk.length() > limit) {
        refuse(req, limit, body);
        return;
      }
      buf.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> body.tryFail(e));
    req.endHandler(v -> body.tryComplete(buf));
    return body.future();
  }

  private static void refuse(HttpServerRequest req, long limit, Promise<Buffer> body) {
    FarmException over = FarmException.of(Code.RESOURCE_EXHAUSTED, "request body over the limit of %d bytes", limit);
    var resp = req.response();
    if (!resp.ended()) {
      boolean h2 = req.version() == HttpVersion.HTTP_2;
      if (!h2) {
        resp.putHeader("connection", "close");
      }
      resp.setStatusCode(413).putHeader("content-type", "text/plain").end(over.getMessage() + "\n").onComplete(v -> {
        if (h2) {
          resp.reset(8);
        } else {
          lingeringClose(req, Math.min(limit, DRAIN_BYTES));
        }
      });
    }
    // Failed only now: the caller's error path must find the response already answered.
    body.tryFail(over);
  }

  /** Drops what the client still sends, then closes: at the end of its body, past the byte cap, or after the delay. */
  private static void lingeringClose(HttpServerRequest req, long drainBytes) {
    long[] dropped = {0};
    Runnable close = () -> req.connection().close();
    if (req.isEnded()) {
      close.run();
      return;
    }
    req.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > drainBytes) {
        close.run();
      }
    });
    req.endHandler(v -> close.run());
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    if (ctx != null) {
      ctx.owner().setTimer(DRAIN_MILLIS, id -> close.run());
    } else {
      close.run();
    }
  }

  /** The declared length; an unparsable one counts as over every limit (it is a broken client). */
  private static long declared(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
