package dev.kiln.launcher;

import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import java.nio.file.Path;
import java.util.HashSet;
import picocli.CommandLine.Option;

/** Front-node authentication options, shared by {@code kiln front} and {@code kiln up}. */
final class AuthOptions {
  @Option(names = "--auth-tokens", description = "File of '<token> <user>' lines; enables bearer-token auth on every protocol (env KILN_AUTH_TOKENS).")
  Path tokens;

  @Option(names = "--auth-users", defaultValue = "", description = "Users allowed (comma-separated; default: every user in the tokens file).")
  String users;

  @Option(names = "--anonymous", defaultValue = "deny", description = "Access of clients without a token when auth is on: deny or cache-only (default ${DEFAULT-VALUE}).")
  String anonymous;

  Authenticator authenticator() {
    if (tokens == null) {
      return Authenticator.open();
    }
    Access anon = switch (anonymous) {
      case "deny" -> Access.DENIED;
      case "cache-only" -> Access.CACHE_ONLY;
      default -> throw new IllegalArgumentException("--anonymous must be deny or cache-only, not " + anonymous);
    };
    return Authenticator.fromFile(tokens, new HashSet<>(RoleProcess.list(users)), anon);
  }
}
