package dev.kiln.scheduler.exec.fair;

/**
 * Whose share an action counts against: {@code user} is the authenticated token's user, or
 * {@code anonymous} (what a client merely claims never splits it into more shares); {@code build}
 * is the client's build (REAPI {@code tool_invocation_id}, Goma {@code build_id}), empty if unknown.
 */
public record Tenant(String user, String build) {
  public static final Tenant ANONYMOUS = new Tenant("anonymous", "");

  public Tenant {
    user = user == null || user.isEmpty() ? "anonymous" : cut(user);
    build = build == null ? "" : cut(build);
  }

  private static String cut(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200);
  }
}
