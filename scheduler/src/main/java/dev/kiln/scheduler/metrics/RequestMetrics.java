package dev.kiln.scheduler.metrics;

import dev.kiln.scheduler.goma.GomaEndpoint;
import dev.kiln.scheduler.http.HttpCacheHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Counts every request the front node answers, when its response ends:
 * {@code kiln_requests_total{protocol="grpc|goma|http_cache|other", status}}. A gRPC call's status
 * is the name of its {@code grpc-status} (trailer, or header of a trailers-only answer, e.g.
 * {@code OK}, {@code NOT_FOUND}); anything else, or a gRPC request answered without one, carries
 * the HTTP status code. A response that never ends (connection reset) is not counted.
 */
public final class RequestMetrics {
  public static final String REQUESTS = "kiln.requests";

  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Call first thing in the server's request handler: counts {@code req} once its response ends. */
  public void observe(HttpServerRequest req) {
    String protocol = protocolOf(req);
    HttpServerResponse resp = req.response();
    resp.endHandler(v -> count(protocol, statusOf(protocol, resp)));
  }

  private void count(String protocol, String status) {
    Counter.builder(REQUESTS).description("Requests answered by the front node, by protocol and status")
        .tag("protocol", protocol).tag("status", status).register(registry).increment();
  }

  static String protocolOf(HttpServerRequest req) {
    String type = req.getHeader("content-type");
    if (type != null && type.startsWith("application/grpc")) {
      return "grpc";
    }
    String path = req.path();
    if (path == null) {
      return "other";
    }
    if (path.startsWith(GomaEndpoint.PREFIX)) {
      return "goma";
    }
    if (HttpCacheHandler.PATH.matcher(path).matches()) {
      return "http_cache";
    }
    return "other";
  }

  static String statusOf(String protocol, HttpServerResponse resp) {
    if (protocol.equals("grpc")) {
      String code = resp.trailers().get("grpc-status");
      if (code == null) {
        code = resp.headers().get("grpc-status");
      }
      if (code != null) {
        return grpcName(code);
      }
    }
    return Integer.toString(resp.getStatusCode());
  }

  /** The status's name; a code outside the 17 known ones is UNKNOWN, so the label stays bounded. */
  static String grpcName(String code) {
    try {
      GrpcStatus status = GrpcStatus.valueOf(Integer.parseInt(code.trim()));
      return status == null ? "UNKNOWN" : status.name();
    } catch (RuntimeException e) {
      return "UNKNOWN";
    }
  }
}
