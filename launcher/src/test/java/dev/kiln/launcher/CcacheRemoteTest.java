package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's ccache 4.7 in remote-only mode (`remote_storage = http://...|layout=bazel`) builds
 * lua 5.4 (bench/workloads.sh, sources from Debian's lua5.4 source package) twice from an empty local cache against the farm; the
 * second build is served entirely from Kiln.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CcacheRemoteTest {
  private static final Path WORKLOADS = Path.of("..", "bench", "workloads.sh").toAbsolutePath().normalize();

  @Test
  void secondBuildOfLuaIsAllRemoteHits() throws Exception {
    Path ccacheDir = Files.createTempDirectory("kiln-ccache");
    try (EmbeddedFarm farm = FarmFixture.start(1, 1, Duration.ofSeconds(30))) {
      Map<String, String> env = new HashMap<>();
      env.put("CCACHE_DIR", ccacheDir.toString());
      env.put("CCACHE_REMOTE_STORAGE", "http://127.0.0.1:" + farm.port() + "|layout=bazel");
      env.put("CCACHE_REMOTE_ONLY", "true");
      env.put("BENCH_DIR", Path.of(System.getProperty("java.io.tmpdir"), "kiln-workloads").toString());

      Commands.run(env, "bash", WORKLOADS.toString(), "clean", "lua", "ccache");
      Commands.run(env, "ccache", "-z");
      Commands.run(env, "bash", WORKLOADS.toString(), "build", "lua", "2", "ccache");
      Map<String, Long> first = stats(env);
      System.out.println("ccache first build: " + first);
      assertThat(first.get("remote_storage_miss")).isPositive();

      Commands.run(env, "ccache", "-z");
      Commands.run(env, "bash", WORKLOADS.toString(), "clean", "lua", "ccache");
      Commands.run(env, "bash", WORKLOADS.toString(), "build", "lua", "2", "ccache");
      Map<String, Long> second = stats(env);
      System.out.println("ccache second build: " + second);
      assertThat(second.get("remote_storage_hit")).isEqualTo(first.get("remote_storage_miss"));
      assertThat(second.get("remote_storage_miss")).isZero();
      assertThat(second.get("remote_storage_error")).isZero();
      assertThat(second.get("local_storage_hit")).isZero();
    }
  }

  private static Map<String, Long> stats(Map<String, String> env) throws Exception {
    Map<String, Long> m = new HashMap<>();
    for (String line : Commands.run(env, "ccache", "--print-stats").split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && kv[1].matches("\\d+")) {
        m.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return m;
  }
}
