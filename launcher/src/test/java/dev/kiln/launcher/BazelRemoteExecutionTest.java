package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The foundation's acceptance test: Debian's Bazel builds and tests a 20-TU C++ workspace with
 * every action on Kiln's workers (no local fallback); after {@code bazel clean} the rebuild is
 * served entirely from Kiln's action cache.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BazelRemoteExecutionTest {
  @Test
  void bazelBuildsAndTestsRemotelyThenRebuildsFromTheActionCache() throws Exception {
    Path dir = Files.createTempDirectory("kiln-bazel-e2e");
    try (EmbeddedFarm farm = FarmFixture.start(2, 2, Duration.ofSeconds(30)); BazelWorkspace ws = new BazelWorkspace(dir, 20)) {
      var flags = BazelWorkspace.remoteFlags(farm.port());
      BazelWorkspace.Run cold = ws.run("test", flags, "//...");
      System.out.println("cold: " + cold.summary());
      assertThat(cold.exitCode()).as(cold.output()).isZero();
      // 20 library TUs + main.cc + lib_test.cc compiles, 2 links, the archive, the test run
      assertThat(cold.count("remote")).as(cold.summary()).isGreaterThanOrEqualTo(25);
      assertThat(cold.total() - cold.count("remote") - cold.count("internal")).as(cold.summary()).isZero();
      assertThat(cold.output()).contains("//:lib_test").contains("PASSED");

      Process bin = new ProcessBuilder(ws.workspace.resolve("bazel-bin/main").toString()).redirectErrorStream(true).start();
      assertThat(new String(bin.getInputStream().readAllBytes())).startsWith("kiln e2e ok ");
      assertThat(bin.waitFor()).isZero();

      assertThat(ws.run("clean", java.util.List.of()).exitCode()).isZero();
      BazelWorkspace.Run warm = ws.run("test", flags, "//...");
      System.out.println("warm: " + warm.summary());
      assertThat(warm.exitCode()).as(warm.output()).isZero();
      assertThat(warm.count("remote cache hit")).as(warm.summary()).isEqualTo(cold.count("remote"));
      assertThat(warm.total() - warm.count("remote cache hit") - warm.count("internal")).as(warm.summary()).isZero();
    }
  }
}
