package dev.kiln.scheduler.http;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.OutputFile;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.OpaqueActionCache;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bazel HTTP cache protocol on the front node's port: GET, HEAD and PUT of
 * {@code [/prefix]/cas/{sha256}} and {@code [/prefix]/ac/{sha256}} (DELETE too for {@code /ac/},
 * which ccache sends), backed by the same CAS and action cache as REAPI. The prefix is the
 * instance name. CAS PUTs are verified against their hash. Action-cache PUTs are stored opaquely
 * (ccache's own entries); one that is a well-formed ActionResult (Bazel's) also becomes a typed
 * entry, so gRPC clients hit it. A GET falls back to the typed entry, so HTTP clients hit what
 * REAPI clients and workers stored. 404 on a miss, 200 on success, HTTP/1.1 with Content-Length.
 * A PUT body over the blob limit is refused while it arrives ({@link BoundedBody}).
 */
public final class HttpCacheHandler implements Handler<HttpServerRequest> {
  /** {@code [/instance]/(ac|cas)/{64 hex}}. */
  public static final Pattern PATH = Pattern.compile("^/(?:(.+)/)?(ac|cas)/([0-9a-f]{64})$");

  private final BlobStore cas;
  private final ActionCache actionCache;
  private final OpaqueActionCache opaque;
  private final Blocking blocking;
  private final long maxBlobBytes;

  public HttpCacheHandler(BlobStore cas, ActionCache actionCache, OpaqueActionCache opaque, Blocking blocking, long maxBlobBytes) {
    this.cas = cas;
    this.actionCache = actionCache;
    this.opaque = opaque;
    this.blocking = blocking;
    this.maxBlobBytes = maxBlobBytes;
  }

  @Override
  public void handle(HttpServerRequest req) {
    Matcher m = PATH.matcher(req.path());
    if (!m.matches()) {
      text(req.response(), 400, "expected [/prefix]/ac/{sha256} or [/prefix]/cas/{sha256}");
      return;
    }
    String instance;
    try {
      instance = InstanceNames.normalize(m.group(1) == null ? "" : m.group(1));
    } catch (FarmException e) {
      text(req.response(), 400, e.getMessage());
      return;
    }
    boolean ac = m.group(2).equals("ac");
    String hash = m.group(3);
    HttpMethod method = req.method();
    Future<?> done;
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      done = (ac ? getAc(new ActionKey(instance, hash)) : Blocking.onContext(cas.getByHash(hash)))
          .map(found -> found.map(bytes -> send(req, bytes)).orElseGet(() -> text(req.response(), 404, "not found")));
    } else if (method == HttpMethod.PUT) {
      done = put(req, instance, ac, hash);
    } else if (method == HttpMethod.DELETE && ac) {
      done = Blocking.onContext(opaque.delete(new ActionKey(instance, hash))).map(v -> text(req.response(), 200, ""));
    } else {
      text(req.response(), 405, "method not allowed");
      return;
    }
    done.onFailure(e -> fail(req.response(), e));
  }

  private Future<Optional<byte[]>> getAc(ActionKey key) {
    return Blocking.onContext(opaque.get(key)).compose(raw -> raw.isPresent()
        ? Future.succeededFuture(raw)
        : Blocking.onContext(actionCache.get(key)).map(typed -> typed.map(ActionResult::toByteArray)));
  }

  private Future<?> put(HttpServerRequest req, String instance, boolean ac, String hash) {
    return BoundedBody.read(req, maxBlobBytes).compose(body -> {
      byte[] bytes = body.getBytes();
      if (!ac) {
        return blocking.runAsync(() -> cas.put(new Digest(hash, bytes.length), bytes)).map(v -> text(req.response(), 200, ""));
      }
      ActionKey key = new ActionKey(instance, hash);
      Future<Void> typed = asActionResult(bytes).map(r -> Blocking.onContext(actionCache.put(key, r))).orElse(Future.succeededFuture());
      return Blocking.onContext(opaque.put(key, bytes)).compose(v -> typed).map(v -> text(req.response(), 200, ""));
    });
  }

  /** The body as an ActionResult when it is one (every referenced digest well-formed). */
  static Optional<ActionResult> asActionResult(byte[] bytes) {
    try {
      ActionResult r = ActionResult.parseFrom(bytes);
      if (!r.getUnknownFields().asMap().isEmpty()) {
        return Optional.empty();
      }
      for (OutputFile f : r.getOutputFilesList()) {
        Digest.fromProto(f.getDigest());
        if (f.getPath().isEmpty()) {
          return Optional.empty();
        }
      }
      r.getOutputDirectoriesList().forEach(d -> Digest.fromProto(d.getTreeDigest()));
      if (r.hasStdoutDigest()) {
        Digest.fromProto(r.getStdoutDigest());
      }
      if (r.hasStderrDigest()) {
        Digest.fromProto(r.getStderrDigest());
      }
      return Optional.of(r);
    } catch (InvalidProtocolBufferException | FarmException e) {
      return Optional.empty();
    }
  }

  private static Void send(HttpServerRequest req, byte[] bytes) {
    HttpServerResponse resp = req.response().setStatusCode(200).putHeader("content-type", "application/octet-stream");
    if (req.method() == HttpMethod.HEAD) {
      resp.putHeader("content-length", Integer.toString(bytes.length)).end();
    } else {
      resp.end(Buffer.buffer(bytes));
    }
    return null;
  }

  private static Void text(HttpServerResponse resp, int status, String body) {
    resp.setStatusCode(status).putHeader("content-type", "text/plain").end(body.isEmpty() ? "" : body + "\n");
    return null;
  }

  private static void fail(HttpServerResponse resp, Throwable e) {
    FarmException fe = FarmException.from(e);
    int status = fe.code() == Code.INVALID_ARGUMENT ? 400 : fe.code() == Code.NOT_FOUND ? 404 : fe.code() == Code.RESOURCE_EXHAUSTED ? 413 : 500;
    if (!resp.ended()) {
      text(resp, status, String.valueOf(fe.getMessage()));
    }
  }
}
