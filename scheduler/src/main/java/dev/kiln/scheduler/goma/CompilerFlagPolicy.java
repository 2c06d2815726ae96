package dev.kiln.scheduler.goma;

import dev.kiln.common.FarmException;
import java.util.List;

/**
 * Refuses the gcc/clang flags that make the compiler driver run or load a program other than the
 * selected toolchain's own (a Goma request names a compiler the farm carries; these flags would
 * turn it into "run anything"): {@code -wrapper}, {@code -B}/{@code --prefix}, spec files,
 * compiler and pass plugins ({@code -fplugin*}, {@code -fpass-plugin}, {@code -iplugindir},
 * {@code -Xclang -load}/{@code -plugin}/{@code -add-plugin}), another toolchain
 * ({@code --gcc-toolchain}, {@code --gcc-install-dir}, {@code -ccc-*}, clang {@code --config},
 * CUDA/ROCm tool paths), linker choices and linker plugins (links do not run remotely), and
 * response files ({@code @file}: their content would be more flags, unchecked). Values passed
 * through {@code -Xclang}, {@code -Xpreprocessor}, {@code -mllvm}, {@code -Wp,} are checked as
 * flags too; {@code -Wl,}/{@code -Xlinker} values only for linker plugins and response files.
 *
 * <p>A value that merely looks like a refused flag (an output named {@code -Bx}) is refused too:
 * no real compile needs that, and guessing which arguments are values is how such checks leak.
 */
public final class CompilerFlagPolicy {
  /** Flags (after folding a leading {@code --} into {@code -}) refused with or without a joined value. */
  private static final List<String> REFUSED_PREFIXES = List.of("-wrapper", "-B", "-fplugin", "-fpass-plugin", "-iplugindir",
      "-plugin", "-add-plugin", "-gcc-toolchain", "-gcc-install-dir", "-ccc-", "-fuse-ld", "-fuse-linker-plugin", "-ld-path",
      "-cuda-path", "-ptxas-path", "-rocm-path", "-hip-path", "-config-", "-load", "-for-linker");
  /** Flags refused exactly or with {@code =value}. */
  private static final List<String> REFUSED_EXACT = List.of("-specs", "-prefix", "-config", "-fno-integrated-as", "-no-integrated-as");
  /** Flags whose next argument is handed to another tool, checked like a flag of its own. */
  private static final List<String> PASS_THROUGH = List.of("-Xclang", "-Xpreprocessor", "-mllvm", "-Xlinker");
  private static final List<String> COMMA_PASS_THROUGH = List.of("-Wp,", "-Wl,", "-Wa,");

  private CompilerFlagPolicy() {}

  /** Throws INVALID_ARGUMENT naming the first refused flag of {@code args} (the compiler's arguments, argv[0] excluded). */
  public static void check(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (PASS_THROUGH.contains(arg) && i + 1 < args.size()) {
        checkPassed(arg, args.get(++i)); // the value belongs to the other tool
        continue;
      }
      for (String pass : PASS_THROUGH) {
        if (arg.startsWith(pass + "=")) {
          checkPassed(pass, arg.substring(pass.length() + 1));
        }
      }
      for (String pass : COMMA_PASS_THROUGH) {
        if (arg.startsWith(pass)) {
          for (String v : arg.substring(pass.length()).split(",")) {
            checkPassed(pass, v);
          }
        }
      }
      checkOne(arg, arg);
    }
  }

  private static void checkPassed(String via, String value) {
    if (via.equals("-Xlinker") || via.equals("-Wl,")) {
      String folded = fold(value);
      if (folded.startsWith("-plugin") || value.startsWith("@")) {
        throw refused(via + " " + value, "loads a linker plugin or reads a response file");
      }
      return;
    }
    if (via.equals("-Wa,")) {
      return; // the assembler of the selected toolchain runs nothing else
    }
    checkOne(value, via + " " + value);
  }

  private static void checkOne(String arg, String shown) {
    if (arg.startsWith("@")) {
      throw FarmException.invalidArgument("response files are not accepted ('%s'): pass the flags on the command line", shown);
    }
    if (!arg.startsWith("-")) {
      return;
    }
    String f = fold(arg);
    for (String p : REFUSED_PREFIXES) {
      if (f.startsWith(p)) {
        throw refused(shown, "makes the compiler run or load another program or toolchain");
      }
    }
    for (String e : REFUSED_EXACT) {
      if (f.equals(e) || f.startsWith(e + "=")) {
        throw refused(shown, "makes the compiler run or load another program or toolchain");
      }
    }
  }

  /** gcc and clang accept most long options with one or two dashes. */
  private static String fold(String arg) {
    return arg.startsWith("--") ? arg.substring(1) : arg;
  }

  private static FarmException refused(String flag, String why) {
    return FarmException.invalidArgument("compiler flag '%s' is not allowed on this farm: it %s", flag, why);
  }
}
