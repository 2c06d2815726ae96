package dev.kiln.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compose command line as a user runs it, on the repository's docker-compose.yml under a
 * project name of its own: Debian's {@code docker-compose} (1.29) where installed, otherwise the
 * {@code docker compose} plugin. Every call must succeed; its output is in the error otherwise.
 */
final class ComposeCli {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private final String project;
  private final Map<String, String> env;

  ComposeCli(String project, Map<String, String> env) {
    this.project = project;
    this.env = env;
  }

  static boolean onPath(String cmd) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cmd))) {
        return true;
      }
    }
    return false;
  }

  /** True when a Docker engine answers. */
  static boolean engineAnswers() {
    try {
      return onPath("docker") && run(List.of("docker", "info"), Map.of(), 60).exit == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code compose -p PROJECT -f docker-compose.yml ARGS}; fails unless it exits 0. */
  String compose(long timeoutSeconds, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(onPath("docker-compose") ? List.of("docker-compose") : List.of("docker", "compose"));
    cmd.addAll(List.of("-p", project, "-f", REPO.resolve("docker-compose.yml").toString()));
    cmd.addAll(List.of(args));
    return ok(run(cmd, env, timeoutSeconds), cmd);
  }

  /** {@code docker ARGS}; fails unless it exits 0. */
  static String docker(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    return ok(run(cmd, Map.of(), 120), cmd);
  }

  private static String ok(Result r, List<String> cmd) {
    if (r.exit != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit + ":\n" + r.output);
    }
    return r.output;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> cmd, Map<String, String> env, long timeoutSeconds) throws IOException {
    Path out = Files.createTempFile("kiln-compose", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
