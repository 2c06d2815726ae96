package dev.kiln.client.cxx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A gcc/clang command line, parsed for what a remote compile needs: the mode, inputs and output,
 * the dependency file (-MD/-MMD, with -MF or the default name),
 * the include search flags (-I, -iquote, -isystem, -idirafter, --sysroot), forced includes
 * (-include, -imacros), macro flags (-D, -U, in order), the language (-x) and standard (-std),
 * and the response files (@file) expanded. Paths are resolved against the cwd.
 */
public record CompilerFlags(
    Mode mode, List<Path> inputs, Path output, Path depfile, List<Path> quoteDirs, List<Path> includeDirs, List<Path> systemDirs,
    List<Path> afterDirs, List<Path> forcedIncludes, List<String> macroOps, String language, String std, List<String> args) {

  /** What the invocation does; only COMPILE and ASSEMBLE (and PREPROCESS) are remote candidates. */
  public enum Mode { COMPILE, ASSEMBLE, PREPROCESS, LINK }

  public static CompilerFlags parse(List<String> argv, Path cwd) {
    List<String> args = expandResponseFiles(argv, cwd);
    Mode mode = Mode.LINK;
    List<Path> inputs = new ArrayList<>();
    Path output = null;
    List<Path> quote = new ArrayList<>();
    List<Path> include = new ArrayList<>();
    List<Path> system = new ArrayList<>();
    List<Path> after = new ArrayList<>();
    List<Path> forced = new ArrayList<>();
    List<String> macros = new ArrayList<>();
    String language = null;
    String std = null;
    Path depfile = null;
    boolean writesDeps = false;
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      String next = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (a) {
        case "-c" -> mode = mode == Mode.PREPROCESS ? mode : Mode.COMPILE;
        case "-S" -> mode = mode == Mode.PREPROCESS ? mode : Mode.ASSEMBLE;
        case "-E" -> mode = Mode.PREPROCESS;
        case "-o", "-I", "-iquote", "-isystem", "-idirafter", "-include", "-imacros", "-D", "-U", "-x", "-MF", "-MT", "-MQ" -> {
          if (next == null) {
            continue;
          }
          i++;
          switch (a) {
            case "-o" -> output = cwd.resolve(next);
            case "-I" -> include.add(cwd.resolve(next));
            case "-iquote" -> quote.add(cwd.resolve(next));
            case "-isystem" -> system.add(cwd.resolve(next));
            case "-idirafter" -> after.add(cwd.resolve(next));
            case "-include", "-imacros" -> forced.add(cwd.resolve(next));
            case "-D" -> macros.add("D" + next);
            case "-U" -> macros.add("U" + next);
            case "-x" -> language = next;
            case "-MF" -> depfile = cwd.resolve(next);
            default -> { }
          }
        }
        default -> {
          if (a.startsWith("-I") && a.length() > 2) {
            include.add(cwd.resolve(a.substring(2)));
          } else if (a.startsWith("-D") && a.length() > 2) {
            macros.add("D" + a.substring(2));
          } else if (a.startsWith("-U") && a.length() > 2) {
            macros.add("U" + a.substring(2));
          } else if (a.startsWith("-o") && a.length() > 2) {
            output = cwd.resolve(a.substring(2));
          } else if (a.equals("-MD") || a.equals("-MMD")) {
            writesDeps = true;
          } else if (a.startsWith("-MF") && a.length() > 3) {
            depfile = cwd.resolve(a.substring(3));
          } else if (a.startsWith("-std=")) {
            std = a.substring(5);
          } else if (a.startsWith("-x") && a.length() > 2) {
            language = a.substring(2);
          } else if (!a.startsWith("-") && !a.isEmpty()) {
            inputs.add(cwd.resolve(a));
          }
        }
      }
    }
    if (output == null && (mode == Mode.COMPILE || mode == Mode.ASSEMBLE) && inputs.size() == 1) {
      // gcc's default: <basename>.o (or .s) in the cwd
      String base = inputs.get(0).getFileName().toString();
      int dot = base.lastIndexOf('.');
      output = cwd.resolve((dot > 0 ? base.substring(0, dot) : base) + (mode == Mode.COMPILE ? ".o" : ".s"));
    }
    if (writesDeps && depfile == null && output != null) {
      // -MD/-MMD without -MF: the object's name with .d
      String o = output.getFileName().toString();
      int dot = o.lastIndexOf('.');
      depfile = output.resolveSibling((dot > 0 ? o.substring(0, dot) : o) + ".d");
    }
    return new CompilerFlags(mode, inputs, output, writesDeps ? depfile : null, quote, include, system, after, forced, macros, language,
        std, args);
  }

  /**
   * The flags that change what the compiler predefines or where it looks for system headers
   * (optimization and feature flags define __OPTIMIZE__, __PIC__, ...): the CompilerInfo key.
   */
  public List<String> infoFlags() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.matches("-(std=.*|O.*|m.*|f.*|ansi|pthread|undef|nostdinc.*|--sysroot.*|-target=.*|target|isysroot.*)")) {
        out.add(a);
        if ((a.equals("-target") || a.equals("-isysroot")) && i + 1 < args.size()) {
          out.add(args.get(++i));
        }
      }
    }
    return out;
  }

  /** True for C++ (by -x or the first input's extension). */
  public boolean isCxx() {
    if (language != null) {
      return language.startsWith("c++");
    }
    String first = inputs.isEmpty() ? "" : inputs.get(0).toString();
    return first.matches(".*\\.(cc|cpp|cxx|C|c\\+\\+|hpp|hh)$") || args.get(0).matches(".*(\\+\\+|clang\\+\\+)(-[0-9.]+)?$");
  }

  private static List<String> expandResponseFiles(List<String> argv, Path cwd) {
    List<String> out = new ArrayList<>();
    for (String a : argv) {
      if (a.startsWith("@") && a.length() > 1) {
        try {
          for (String word : Files.readString(cwd.resolve(a.substring(1))).trim().split("\\s+")) {
            if (!word.isEmpty()) {
              out.add(word.replaceAll("^\"|\"$", ""));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("Failed to read response file " + a, e);
        }
      } else {
        out.add(a);
      }
    }
    return out;
  }
}
