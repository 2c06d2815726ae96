package dev.kiln.scheduler.records;

import dev.kiln.common.FarmException;
import io.vertx.core.MultiMap;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A filter over action records ({@code /actions?user=&build=&status=&limit=}): exact user and
 * build, {@code status} one of ok, failed, error (the outcome) or hit, miss (the cache status),
 * newest first, at most {@code limit} (default 100). Anything else is INVALID_ARGUMENT naming what
 * is allowed.
 */
public record RecordQuery(String user, String build, String status, int limit) implements Predicate<ActionRecord> {
  public static final Set<String> STATUSES = Set.of("ok", "failed", "error", "hit", "miss");
  public static final int DEFAULT_LIMIT = 100;
  private static final Set<String> PARAMS = Set.of("user", "build", "status", "limit");

  public static RecordQuery all(int limit) {
    return new RecordQuery("", "", "", limit);
  }

  /** Parses query parameters; {@code maxLimit} is the most records one answer may hold. */
  public static RecordQuery parse(MultiMap params, int maxLimit) {
    for (String name : params.names()) {
      if (!PARAMS.contains(name)) {
        throw FarmException.invalidArgument("unknown parameter %s (allowed: user, build, status, limit)", name);
      }
    }
    String status = params.get("status") == null ? "" : params.get("status");
    if (!status.isEmpty() && !STATUSES.contains(status)) {
      throw FarmException.invalidArgument("status must be one of ok, failed, error, hit, miss (got %s)", status);
    }
    int limit = DEFAULT_LIMIT;
    String l = params.get("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > maxLimit) {
        throw FarmException.invalidArgument("limit must be a whole number from 1 to %d (got %s)", maxLimit, l);
      }
    }
    return new RecordQuery(orEmpty(params.get("user")), orEmpty(params.get("build")), status, limit);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public boolean test(ActionRecord r) {
    return (user.isEmpty() || user.equals(r.who().user())) && (build.isEmpty() || build.equals(r.who().build()))
        && (status.isEmpty() || status.equals(r.status()) || status.equals(r.cache()));
  }
}
