package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's acceptance test for the disk tier: Bazel builds on a farm, the whole farm stops
 * (broker, cache member, front node, workers), a new farm starts on the same data dir, and after
 * {@code bazel clean} the rebuild is all remote cache hits.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BazelFarmRestartTest {
  private static EmbeddedFarm start(Path data) {
    return EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 2, 1, data, false, "kiln-bazel-restart-" + System.nanoTime(),
        Duration.ofSeconds(30)).withCasDiskGb(1));
  }

  @Test
  void rebuildAfterAFullFarmRestartIsAllRemoteCacheHits() throws Exception {
    Path dir = Files.createTempDirectory("kiln-bazel-restart");
    Path data = dir.resolve("farm-data");
    try (BazelWorkspace ws = new BazelWorkspace(dir.resolve("bazel"), 10)) {
      BazelWorkspace.Run cold;
      try (EmbeddedFarm farm = start(data)) {
        cold = ws.run("build", BazelWorkspace.remoteFlags(farm.port()), "//...");
        System.out.println("cold: " + cold.summary());
        assertThat(cold.exitCode()).as(cold.output()).isZero();
        assertThat(cold.count("remote")).as(cold.summary()).isGreaterThanOrEqualTo(10);
      }
      assertThat(ws.run("clean", List.of()).exitCode()).isZero();
      try (EmbeddedFarm farm = start(data)) {
        BazelWorkspace.Run warm = ws.run("build", BazelWorkspace.remoteFlags(farm.port()), "//...");
        System.out.println("warm after restart: " + warm.summary());
        assertThat(warm.exitCode()).as(warm.output()).isZero();
        assertThat(warm.count("remote cache hit")).as(warm.summary()).isEqualTo(cold.count("remote"));
        assertThat(warm.total() - warm.count("remote cache hit") - warm.count("internal")).as(warm.summary()).isZero();
      }
    }
  }
}
