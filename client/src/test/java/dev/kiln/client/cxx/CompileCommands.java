package dev.kiln.client.cxx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The compile commands of a real workload (bench/workloads.sh), without building it. */
public record CompileCommands(Path cwd, List<String> argv) {
  static final Path WORKLOADS = findWorkloads();

  /** The repository's bench/workloads.sh, found from any directory of the checkout. */
  private static Path findWorkloads() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("bench/workloads.sh");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("bench/workloads.sh not found above " + Path.of("").toAbsolutePath());
  }
  static final String BENCH_DIR = Path.of(System.getProperty("java.io.tmpdir"), "kiln-workloads").toString();

  static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    pb.environment().put("BENCH_DIR", BENCH_DIR);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    return out;
  }

  static Path tree(String workload) throws Exception {
    run(Path.of("."), Map.of(), "bash", WORKLOADS.toString(), "prepare", workload);
    return Path.of(run(Path.of("."), Map.of(), "bash", WORKLOADS.toString(), "dir", workload).trim());
  }

  /** lua 5.4: its Makefile's flags for every .c in src/. */
  public static List<CompileCommands> lua() throws Exception {
    Path src = tree("lua").resolve("src");
    List<CompileCommands> out = new ArrayList<>();
    try (var files = Files.list(src)) {
      for (Path c : files.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
        out.add(new CompileCommands(src, List.of("gcc", "-std=gnu99", "-O2", "-Wall", "-Wextra", "-DLUA_COMPAT_5_3",
            "-DLUA_USE_LINUX", "-c", c.getFileName().toString())));
      }
    }
    return out;
  }

  /** git 2.39: every compile `make -n` would run (generated headers are made first). */
  public static List<CompileCommands> git() throws Exception {
    Path top = tree("git");
    run(top, Map.of(), "make", "command-list.h", "config-list.h", "hook-list.h", "GIT-VERSION-FILE");
    List<CompileCommands> out = new ArrayList<>();
    for (String line : run(top, Map.of(), "make", "-n", "CC=gcc", "all").split("\n")) {
      int at = line.indexOf(";gcc ");
      String cmd = at >= 0 ? line.substring(at + 1) : line;
      if (cmd.startsWith("gcc ") && cmd.contains(" -c ")) {
        out.add(new CompileCommands(top, shellWords(cmd)));
      }
    }
    return out;
  }

  /** ninja 1.11 (C++): CMake's compile database of a configured (not built) tree. */
  public static List<CompileCommands> ninja() throws Exception {
    Path src = tree("ninja");
    Path build = Path.of(BENCH_DIR, "ninja-compile-db");
    if (!Files.exists(build.resolve("compile_commands.json"))) {
      Files.createDirectories(build);
      run(build, Map.of(), "cmake", "-S", src.toString(), "-B", build.toString(), "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
          "-DCMAKE_BUILD_TYPE=None", "-DCMAKE_CXX_FLAGS=-O2");
    }
    // The one generated header (CMake's custom command: src/inline.sh kBrowsePy < src/browse.py).
    Path browse = build.resolve("build/browse_py.h");
    if (!Files.exists(browse)) {
      Files.createDirectories(browse.getParent());
      Files.writeString(browse, run(src, Map.of(), "bash", "-c", "src/inline.sh kBrowsePy < src/browse.py"));
    }
    String json = Files.readString(build.resolve("compile_commands.json"));
    Matcher m = Pattern.compile("\"directory\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"command\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    List<CompileCommands> out = new ArrayList<>();
    while (m.find()) {
      out.add(new CompileCommands(Path.of(unjson(m.group(1))), shellWords(unjson(m.group(2)))));
    }
    return out;
  }

  /** This compile as {@code gcc -M}: -M instead of -c, without output and dependency-file flags. */
  public List<String> gccMCommand() {
    List<String> cmd = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("-o") || a.equals("-MF") || a.equals("-MQ") || a.equals("-MT")) {
        i++;
      } else if (!a.equals("-c") && !a.equals("-MMD") && !a.equals("-MD") && !a.equals("-MP")) {
        cmd.add(a);
      }
    }
    cmd.add(1, "-M");
    return cmd;
  }

  private static String unjson(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /** Splits a shell command line into words: single and double quotes, backslash escapes. */
  static List<String> shellWords(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        w.append(s, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
          if (s.charAt(i) == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
            i++;
          }
          w.append(s.charAt(i));
        }
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
