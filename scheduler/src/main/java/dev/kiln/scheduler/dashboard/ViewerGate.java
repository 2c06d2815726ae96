package dev.kiln.scheduler.dashboard;

import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who may look at the farm (the dashboard, its event stream, the action records): whoever may read
 * the cache. With auth off that is everyone; with auth on, a valid token, or nobody's token when
 * anonymous access is cache-only or full. A browser sends the token as the password of HTTP Basic
 * auth (any user name), which it asks for after the 401 this gate answers; API clients may send
 * {@code Authorization: Bearer <token>} as everywhere else.
 */
public final class ViewerGate {
  private final Authenticator auth;

  public ViewerGate(Authenticator auth) {
    this.auth = auth;
  }

  /** False (and the request answered with 401) when {@code req} may not see the farm. */
  public boolean admit(HttpServerRequest req) {
    if (auth.access(token(req.getHeader("authorization"))) != Access.DENIED) {
      return true;
    }
    req.response().setStatusCode(401).putHeader("www-authenticate", "Basic realm=\"kiln farm\", charset=\"UTF-8\"")
        .putHeader("content-type", "text/plain")
        .end("a valid token is needed to see this farm: give it as the password (any user name), or as Authorization: Bearer <token>\n");
    return false;
  }

  /** {@code handler}, for those this gate admits. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> handler) {
    return req -> {
      if (admit(req)) {
        handler.handle(req);
      }
    };
  }

  /** The token a header carries: Basic auth's password, else the header as the authenticator reads it. */
  static String token(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return authorization;
    }
    try {
      String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon < 0 ? pair : pair.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return "malformed basic credentials";
    }
  }
}
