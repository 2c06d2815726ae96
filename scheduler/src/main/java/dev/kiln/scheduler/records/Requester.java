package dev.kiln.scheduler.records;

/**
 * Who asked for an action, as far as the front node can tell: {@code user} is the authenticated
 * token's user, else what the client claims (Goma's requester username), else the client's address;
 * {@code build} the client's build (REAPI {@code tool_invocation_id}, Goma {@code build_id});
 * {@code tool} the client tool; {@code label} what the action is (REAPI mnemonic and target, or
 * the Goma compile's source file); {@code protocol} {@code reapi} or {@code goma}. Empty strings when unknown.
 */
public record Requester(String user, String build, String tool, String label, String protocol) {
  public Requester {
    user = bounded(user);
    build = bounded(build);
    tool = bounded(tool);
    label = bounded(label);
    protocol = bounded(protocol);
  }

  /** Nobody in particular (an operation admitted by another front node, or a test). */
  public static Requester unknown(String protocol) {
    return new Requester("", "", "", "", protocol);
  }

  /** Client-supplied text is kept short: a record must stay small whatever a client sends. */
  static String bounded(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
