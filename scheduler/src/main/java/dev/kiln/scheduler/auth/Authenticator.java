package dev.kiln.scheduler.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides a request's {@link Access} from its {@code Authorization} header, the same way for REAPI
 * (gRPC metadata), the Bazel HTTP cache and Goma (which sends the file named by
 * GOMA_HTTP_AUTHORIZATION_FILE verbatim). Tokens come from a file of {@code <token> <user>} lines;
 * an optional allowlist restricts the users. Without a token a client gets {@code anonymous}
 * access: FULL when auth is off (the default), CACHE_ONLY or DENIED as the operator chooses.
 */
public final class Authenticator {
  private final Map<String, String> userByToken;
  private final Set<String> allowedUsers;
  private final Access anonymous;

  private Authenticator(Map<String, String> userByToken, Set<String> allowedUsers, Access anonymous) {
    this.userByToken = Map.copyOf(userByToken);
    this.allowedUsers = Set.copyOf(allowedUsers);
    this.anonymous = anonymous;
  }

  /** Auth off: every request has full access. */
  public static Authenticator open() {
    return new Authenticator(Map.of(), Set.of(), Access.FULL);
  }

  /** Tokens from {@code tokensFile}; {@code allowedUsers} empty means every user with a token. */
  public static Authenticator fromFile(Path tokensFile, Set<String> allowedUsers, Access anonymous) {
    Map<String, String> tokens = new HashMap<>();
    try {
      for (String line : Files.readAllLines(tokensFile)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] parts = l.split("\\s+", 2);
        tokens.put(parts[0], parts.length > 1 ? parts[1] : "anonymous-token-user");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read the tokens file " + tokensFile, e);
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the tokens file " + tokensFile + " holds no token");
    }
    return new Authenticator(tokens, allowedUsers, anonymous);
  }

  public boolean enabled() {
    return !userByToken.isEmpty();
  }

  /** The access of a request carrying {@code authorization} (null when absent). */
  public Access access(String authorization) {
    if (!enabled()) {
      return Access.FULL;
    }
    if (authorization == null || authorization.isBlank()) {
      return anonymous;
    }
    String user = userByToken.get(token(authorization));
    if (user == null || (!allowedUsers.isEmpty() && !allowedUsers.contains(user))) {
      return Access.DENIED;
    }
    return Access.FULL;
  }

  /** The user whose valid token {@code authorization} carries; empty without one (auth off, anonymous, denied). */
  public java.util.Optional<String> user(String authorization) {
    if (!enabled() || authorization == null || access(authorization) != Access.FULL) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(userByToken.get(token(authorization)));
  }

  private static String token(String authorization) {
    String value = authorization.strip();
    return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value;
  }
}
