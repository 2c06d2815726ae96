package dev.kiln.client.proxy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * Who may use the proxy. Anyone on this machine can connect to 127.0.0.1, and any web page can make
 * the user's browser send requests there; so: a Host other than this machine's loopback names is
 * refused (DNS rebinding); every request that is not a GET or HEAD is refused when it carries a
 * foreign {@code Origin} or {@code Sec-Fetch-Site: cross-site} (a browser sent it for another
 * site); and {@code /compile} and {@code /quitquitquit} need {@code X-Kiln-Secret}, the
 * {@link ProxySecret} only the user can read. The dashboard's GET pages stay open to local browsers.
 */
final class CallerGuard {
  static final String SECRET_HEADER = "x-kiln-secret";
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Set<String> PRIVILEGED = Set.of("/compile", "/quitquitquit");

  private final ProxySecret secret;

  CallerGuard(ProxySecret secret) {
    this.secret = secret;
  }

  /** Why {@code req} is refused, or null when it may proceed. */
  String refusal(HttpServerRequest req) {
    io.vertx.core.net.HostAndPort authority = req.authority(); // Host in HTTP/1.1, :authority in HTTP/2
    if (authority == null || !LOOPBACK.contains(bracketed(authority.host()))) {
      return "Host is not this machine's loopback address";
    }
    boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
    String origin = req.getHeader("origin");
    int port = req.localAddress().port();
    if (!read && origin != null && !LOOPBACK.stream().anyMatch(h -> origin.equals("http://" + h + ":" + port))) {
      return "cross-origin request (Origin " + origin + ")";
    }
    if (!read && "cross-site".equalsIgnoreCase(req.getHeader("sec-fetch-site"))) {
      return "cross-site request (Sec-Fetch-Site)";
    }
    if (PRIVILEGED.contains(req.path()) && !secret.matches(req.getHeader(SECRET_HEADER))) {
      return "missing or wrong " + SECRET_HEADER + " (kiln-cc reads it from " + secret.file(port) + ")";
    }
    return null;
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
