package dev.kiln.common;

/**
 * The one rule for instance names (the action-cache namespace), applied by every endpoint that
 * takes one: REAPI requests, ByteStream resource names, the HTTP cache prefix. Without it the same
 * namespace had two spellings ("/x" stored by Execute, "x" read by GetActionResult).
 */
public final class InstanceNames {
  private InstanceNames() {}

  /**
   * {@code name} without its leading and trailing '/' (nothing else is collapsed);
   * INVALID_ARGUMENT for a NUL or a "." or ".." segment.
   */
  public static String normalize(String name) {
    if (name.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("instance name contains NUL");
    }
    int from = 0;
    int to = name.length();
    while (from < to && name.charAt(from) == '/') {
      from++;
    }
    while (to > from && name.charAt(to - 1) == '/') {
      to--;
    }
    String n = name.substring(from, to);
    for (String seg : n.split("/", -1)) {
      if (seg.equals(".") || seg.equals("..")) {
        throw FarmException.invalidArgument("instance name '%s' has a '%s' segment", name, seg);
      }
    }
    return n;
  }
}
