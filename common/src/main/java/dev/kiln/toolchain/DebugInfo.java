package dev.kiln.toolchain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a gcc/clang command line asks for debug info, which records the compilation directory
 * and file names in the object: the last of -g, -g1..3, -ggdb[N], -gdwarf[-N], -gstabs[+][N] or
 * -g0 decides.
 */
public final class DebugInfo {
  private static final Pattern ON = Pattern.compile("-g([1-3]|gdb[0-3]?|dwarf(-[2-5])?|stabs\\+?[0-3]?)?");

  private DebugInfo() {}

  /** {@code args}: the arguments after the compiler (argv[0] excluded). */
  public static boolean requested(List<String> args) {
    boolean on = false;
    for (String a : args) {
      if (ON.matcher(a).matches()) {
        on = true;
      } else if (a.equals("-g0")) {
        on = false;
      }
    }
    return on;
  }
}
