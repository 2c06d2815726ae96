package dev.kiln.client.remote;

import java.io.IOException;

/**
 * The farm refused this proxy's credentials (HTTP 401/403, or cache-only access for a compile it
 * has no result for), or the configured token could not be read. Still a local fallback, but one
 * the user can fix: the message says which token was sent and how to set one, and the proxy counts
 * it apart and shows it (a farm that wants a token would otherwise look like a slow local build).
 */
public final class FarmAuthException extends IOException {
  private static final long serialVersionUID = 1L;

  public FarmAuthException(String why, FarmCredentials credentials) {
    super(why + ": set KILN_AUTH_TOKEN_FILE (or KILN_AUTH_TOKEN, GOMA_HTTP_AUTHORIZATION_FILE, kiln proxy --auth-token-file) "
        + "and restart the proxy; it sent " + credentials.describe());
  }
}
