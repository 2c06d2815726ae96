package dev.kiln.client.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code Authorization} header kiln-cc's proxy sends to the farm, from the first source set, in
 * this order (the most explicit first, as Bazel and Goma do): the proxy's {@code --auth-token-file},
 * {@code KILN_AUTH_TOKEN} (the token itself), {@code KILN_AUTH_TOKEN_FILE}, and Goma's
 * {@code GOMA_HTTP_AUTHORIZATION_FILE}, whose content is the whole header value, sent verbatim as
 * Goma's client does. Kiln tokens go as {@code Bearer <token>}. Files are read on every request, so
 * a rotated token is picked up without a restart; a file that cannot be read is a
 * {@link FarmAuthException}, shown like a refusal.
 */
public final class FarmCredentials {
  private final String source;
  private final String token;
  private final Path file;
  private final boolean verbatim;

  private FarmCredentials(String source, String token, Path file, boolean verbatim) {
    this.source = source;
    this.token = token;
    this.file = file;
    this.verbatim = verbatim;
  }

  /** No token: the farm sees an anonymous client. */
  public static FarmCredentials none() {
    return new FarmCredentials(null, null, null, false);
  }

  /** The first source set among the flag ({@code tokenFile}, may be null) and {@code env}. */
  public static FarmCredentials resolve(Path tokenFile, Map<String, String> env) {
    if (tokenFile != null) {
      return new FarmCredentials("--auth-token-file " + tokenFile, null, tokenFile, false);
    }
    if (set(env.get("KILN_AUTH_TOKEN"))) {
      return new FarmCredentials("KILN_AUTH_TOKEN", env.get("KILN_AUTH_TOKEN").strip(), null, false);
    }
    if (set(env.get("KILN_AUTH_TOKEN_FILE"))) {
      return new FarmCredentials("KILN_AUTH_TOKEN_FILE=" + env.get("KILN_AUTH_TOKEN_FILE"), null, Path.of(env.get("KILN_AUTH_TOKEN_FILE")), false);
    }
    if (set(env.get("GOMA_HTTP_AUTHORIZATION_FILE"))) {
      return new FarmCredentials("GOMA_HTTP_AUTHORIZATION_FILE=" + env.get("GOMA_HTTP_AUTHORIZATION_FILE"), null,
          Path.of(env.get("GOMA_HTTP_AUTHORIZATION_FILE")), true);
    }
    return none();
  }

  private static boolean set(String v) {
    return v != null && !v.isBlank();
  }

  /** The header value to send, or null for none. */
  public String authorization() throws FarmAuthException {
    if (source == null) {
      return null;
    }
    String value = token;
    if (file != null) {
      try {
        value = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new FarmAuthException("cannot read the token file " + file + " (" + e.getClass().getSimpleName() + ")", this);
      }
    }
    if (value.isEmpty() || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new FarmAuthException("the token from " + source + " is empty or not one line of printable ASCII", this);
    }
    return verbatim ? value : "Bearer " + value;
  }

  /** Where the token comes from, never the token: for messages and logs. */
  public String describe() {
    return source == null ? "no token" : "the token from " + source;
  }
}
