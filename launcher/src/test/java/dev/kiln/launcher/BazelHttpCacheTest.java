package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bazel with --remote_cache=http://... and local execution: a rebuild after clean is all remote hits. */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BazelHttpCacheTest {
  @Test
  void rebuildAfterCleanIsAllRemoteCacheHits() throws Exception {
    try (EmbeddedFarm farm = FarmFixture.start(1, 1, Duration.ofSeconds(30));
         BazelWorkspace ws = new BazelWorkspace(Files.createTempDirectory("kiln-bazel-http"), 20)) {
      List<String> flags = List.of("--remote_cache=http://127.0.0.1:" + farm.port(), "--remote_timeout=60s");
      BazelWorkspace.Run cold = ws.run("build", flags, "//:main");
      System.out.println("http cold: " + cold.summary());
      assertThat(cold.exitCode()).as(cold.output()).isZero();
      assertThat(cold.count("remote cache hit")).isZero();
      assertThat(ws.run("clean", List.of()).exitCode()).isZero();
      BazelWorkspace.Run warm = ws.run("build", flags, "//:main");
      System.out.println("http warm: " + warm.summary());
      assertThat(warm.exitCode()).as(warm.output()).isZero();
      assertThat(warm.count("remote cache hit")).isEqualTo(cold.total() - cold.count("internal")).isGreaterThanOrEqualTo(22);
      assertThat(warm.total() - warm.count("remote cache hit") - warm.count("internal")).as(warm.summary()).isZero();
    }
  }
}
