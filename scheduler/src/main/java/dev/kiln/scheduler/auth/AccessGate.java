package dev.kiln.scheduler.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * Applies an {@link Authenticator} at the front door, in each protocol's own terms: gRPC gets
 * UNAUTHENTICATED or PERMISSION_DENIED (a trailers-only response), the HTTP cache 401 or 403, and
 * Goma 401 only for a token that is really wrong (a Goma client stops talking to a server that
 * answers 401/403 for 10-20 minutes). Cache-only requests that would execute or store are refused,
 * except Goma's, which {@code GomaEndpoint} serves from the cache or answers "compile locally".
 */
public final class AccessGate {
  /** REAPI methods a cache-only client may call: reads. */
  private static final Set<String> READ_ONLY_GRPC = Set.of(
      "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities",
      "/build.bazel.remote.execution.v2.ActionCache/GetActionResult",
      "/build.bazel.remote.execution.v2.ContentAddressableStorage/FindMissingBlobs",
      "/build.bazel.remote.execution.v2.ContentAddressableStorage/BatchReadBlobs",
      "/build.bazel.remote.execution.v2.ContentAddressableStorage/GetTree",
      "/build.bazel.remote.execution.v2.Execution/WaitExecution",
      "/google.bytestream.ByteStream/Read",
      "/google.bytestream.ByteStream/QueryWriteStatus",
      "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch");

  private final Authenticator auth;

  public AccessGate(Authenticator auth) {
    this.auth = auth;
  }

  public Access access(HttpServerRequest req) {
    return auth.access(req.getHeader("authorization"));
  }

  /** False (and the request answered) when a gRPC call may not proceed. */
  public boolean admitGrpc(HttpServerRequest req) {
    Access a = access(req);
    if (a == Access.FULL || (a == Access.CACHE_ONLY && READ_ONLY_GRPC.contains(req.path()))) {
      return true;
    }
    boolean denied = a == Access.DENIED;
    req.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", denied ? "16" : "7")
        .putHeader("grpc-message", denied ? "invalid or unknown token" : "cache-only access: this call would execute or store")
        .end();
    return false;
  }

  /** False (and the request answered) when an HTTP cache request may not proceed. */
  public boolean admitHttpCache(HttpServerRequest req) {
    Access a = access(req);
    boolean write = req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD;
    if (a == Access.FULL || (a == Access.CACHE_ONLY && !write)) {
      return true;
    }
    req.response().setStatusCode(a == Access.DENIED ? 401 : 403).putHeader("content-type", "text/plain")
        .end(a == Access.DENIED ? "invalid or unknown token\n" : "cache-only access: uploads are not accepted\n");
    return false;
  }
}
