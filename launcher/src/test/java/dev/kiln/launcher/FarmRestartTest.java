package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole farm stopped and started again on the same data dir (issue 11): the cache member's
 * disk tier brings back every action result and blob, so the same action is a cache hit.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FarmRestartTest {
  @TempDir
  Path data;

  private EmbeddedFarm start() {
    return EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 1, data, false, "kiln-restart-" + System.nanoTime(),
        Duration.ofSeconds(1)).withCasDiskGb(0.25));
  }

  @Test
  void actionRunBeforeAFullRestartIsACacheHitAfterIt() {
    byte[] uploaded = utf8("uploaded before the restart");
    Digest action;
    ExecuteResponse first;
    try (EmbeddedFarm farm = start(); ReapiClient client = new ReapiClient(farm.port())) {
      client.upload(uploaded);
      action = client.action(Directory.getDefaultInstance(), List.of("out.txt"), false, 60, "/bin/sh", "-c", "echo built once > out.txt");
      first = client.execute(action, false);
      assertThat(first.getResult().getExitCode()).isZero();
      assertThat(first.getCachedResult()).isFalse();
    }
    try (EmbeddedFarm farm = start(); ReapiClient client = new ReapiClient(farm.port())) {
      ExecuteResponse again = client.execute(action, false);
      assertThat(again.getCachedResult()).isTrue();
      assertThat(again.getResult().getOutputFilesList()).isEqualTo(first.getResult().getOutputFilesList());
      Digest out = again.getResult().getOutputFiles(0).getDigest();
      var read = client.cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().setInstanceName("main").addDigests(out).build());
      assertThat(read.getResponses(0).getData().toStringUtf8()).isEqualTo("built once\n");
      var missing = client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().setInstanceName("main").addBlobDigests(digest(uploaded)).build());
      assertThat(missing.getMissingBlobDigestsList()).isEmpty();
    }
  }
}
