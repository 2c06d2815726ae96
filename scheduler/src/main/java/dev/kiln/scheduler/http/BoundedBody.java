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
 * connection is closed (HTTP/1.1, {@code connection: close}) or the stream reset (HTTP/2).
 */
public final class BoundedBody {
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
          req.connection().close();
        }
      });
    }
    // Failed only now: the caller's error path must find the response already answered.
    body.tryFail(over);
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
