package dev.kiln.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generated C++ workspace (N TUs, a binary and a test) and Debian's Bazel 4.2.3 run offline
 * against it: the rules_cc/rules_java shims stand in for repositories Bazel would download
 * (bench/bazel-build.sh generates the same workspace and shims in bash).
 */
final class BazelWorkspace implements AutoCloseable {
  private static final Pattern SUMMARY = Pattern.compile("INFO: (\\d+) process(?:es)?: (.*)\\.");

  final Path dir;
  final Path workspace;
  private final Path outputRoot;

  /** The result of one Bazel command. */
  record Run(int exitCode, String output) {
    /** Bazel's "N processes: ..." summary, e.g. "26 processes: 4 internal, 22 remote". */
    String summary() {
      Matcher m = SUMMARY.matcher(output);
      String last = null;
      while (m.find()) {
        last = m.group(0);
      }
      return last == null ? "" : last;
    }

    int count(String kind) {
      Matcher m = Pattern.compile("(\\d+) " + Pattern.quote(kind) + "(?:,|\\.|$)").matcher(summary());
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    int total() {
      Matcher m = SUMMARY.matcher(summary());
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
  }

  BazelWorkspace(Path dir, int files) throws IOException {
    this.dir = dir;
    this.workspace = dir.resolve("ws");
    this.outputRoot = dir.resolve("output_user_root");
    writeShims();
    writeWorkspace(files);
  }

  static String bazel() {
    String b = System.getenv().getOrDefault("BAZEL", "bazel");
    return b;
  }

  Run run(String command, List<String> flags, String... targets) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(bazel(), "--output_user_root=" + outputRoot, command));
    if (!command.equals("clean") && !command.equals("shutdown")) {
      cmd.addAll(List.of("--override_repository=rules_cc=" + dir.resolve("shims/rules_cc"),
          "--override_repository=rules_java=" + dir.resolve("shims/rules_java"),
          "--override_repository=remote_coverage_tools=" + dir.resolve("shims/remote_coverage_tools"),
          "--color=no", "--curses=no", "--show_progress_rate_limit=30"));
      cmd.addAll(flags);
    }
    cmd.addAll(List.of(targets));
    Process p = new ProcessBuilder(cmd).directory(workspace.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bazel " + command + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
  }

  static List<String> remoteFlags(int port) {
    return List.of("--remote_executor=grpc://127.0.0.1:" + port, "--remote_instance_name=main",
        "--spawn_strategy=remote", "--noremote_local_fallback", "--remote_timeout=120s", "--test_output=errors");
  }

  private void writeShims() throws IOException {
    for (String repo : List.of("rules_cc/cc", "rules_java/java")) {
      Path p = dir.resolve("shims").resolve(repo);
      Files.createDirectories(p);
      Files.writeString(p.getParent().resolve("WORKSPACE"), "");
      Files.writeString(p.resolve("BUILD"), "exports_files([\"defs.bzl\"])\n");
    }
    StringBuilder cc = new StringBuilder("# offline stand-in for @rules_cc: forwards to Bazel's native C++ rules\n");
    for (String r : List.of("cc_binary", "cc_library", "cc_test", "cc_import", "cc_proto_library", "fdo_prefetch_hints",
        "fdo_profile", "cc_toolchain", "cc_toolchain_suite", "objc_library", "objc_import")) {
      cc.append("def ").append(r).append("(**attrs): native.").append(r).append("(**attrs)\n");
    }
    Files.writeString(dir.resolve("shims/rules_cc/cc/defs.bzl"), cc);
    StringBuilder java = new StringBuilder("# offline stand-in for @rules_java\n");
    for (String r : List.of("java_binary", "java_import", "java_library", "java_test", "java_plugin", "java_runtime",
        "java_toolchain", "java_package_configuration")) {
      java.append("def ").append(r).append("(**attrs): native.").append(r).append("(**attrs)\n");
    }
    Files.writeString(dir.resolve("shims/rules_java/java/defs.bzl"), java);
    // cc_test depends on coverage tools Bazel would download; coverage is not used here.
    Path coverage = dir.resolve("shims/remote_coverage_tools");
    Files.createDirectories(coverage);
    Files.writeString(coverage.resolve("WORKSPACE"), "");
    Files.writeString(coverage.resolve("BUILD"), """
        package(default_visibility = ["//visibility:public"])
        filegroup(name = "coverage_report_generator", srcs = [])
        filegroup(name = "lcov_merger", srcs = [])
        """);
  }

  private void writeWorkspace(int n) throws IOException {
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve("WORKSPACE"), "workspace(name = \"kiln_e2e\")\n");
    StringBuilder header = new StringBuilder("#pragma once\n");
    StringBuilder main = new StringBuilder("#include <cstdio>\n#include \"src/f.h\"\nint main() {\n  long s = 0;\n");
    for (int i = 1; i <= n; i++) {
      Files.writeString(workspace.resolve("src/f" + i + ".cc"), """
          #include <algorithm>
          #include <map>
          #include <string>
          #include <vector>
          #include "src/f.h"
          int f%1$d(int x) {
            std::map<std::string, std::vector<int>> m;
            for (int k = 0; k < x + %1$d; ++k) m[std::to_string(k %% 7)].push_back(k * %1$d);
            int s = 0;
            for (auto &kv : m) { std::sort(kv.second.begin(), kv.second.end()); s += kv.second.back(); }
            return s;
          }
          """.formatted(i));
      header.append("int f").append(i).append("(int x);\n");
      main.append("  s += f").append(i).append("(10);\n");
    }
    main.append("  std::printf(\"kiln e2e ok %ld\\n\", s);\n  return 0;\n}\n");
    Files.writeString(workspace.resolve("src/f.h"), header);
    Files.writeString(workspace.resolve("src/main.cc"), main);
    Files.writeString(workspace.resolve("src/lib_test.cc"), """
        #include "src/f.h"
        int main() { return f1(3) > 0 && f2(5) > 0 ? 0 : 1; }
        """);
    Files.writeString(workspace.resolve("BUILD"), """
        cc_library(name = "lib", srcs = glob(["src/f*.cc"]), hdrs = ["src/f.h"])
        cc_binary(name = "main", srcs = ["src/main.cc"], deps = [":lib"])
        cc_test(name = "lib_test", srcs = ["src/lib_test.cc"], deps = [":lib"])
        """);
  }

  @Override
  public void close() throws Exception {
    run("shutdown", List.of());
  }
}
