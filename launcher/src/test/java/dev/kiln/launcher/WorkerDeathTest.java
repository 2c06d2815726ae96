package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.longrunning.Operation;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.state.HazelcastExecutionState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that dies mid-action does not lose it: the action is redelivered and completes on
 * another worker. Once with an in-process worker closed abruptly, once with a worker JVM
 * SIGKILLed (no shutdown hook, no goodbye to Kafka or Hazelcast).
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class WorkerDeathTest {
  @Test
  void actionOfAKilledWorkerCompletesOnAnotherWorker() throws Exception {
    try (EmbeddedFarm farm = FarmFixture.start(2, 1, Duration.ofSeconds(1)); ReapiClient client = new ReapiClient(farm.port())) {
      Digest action = client.action(Directory.getDefaultInstance(), List.of("done.txt"), false, 0,
          "/bin/sh", "-c", "sleep 4; echo finished > done.txt # " + UUID.randomUUID());
      Iterator<Operation> stream = client.execution.withDeadlineAfter(180, TimeUnit.SECONDS)
          .execute(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build());
      String name = stream.next().getName();
      HazelcastExecutionState state = new HazelcastExecutionState(farm.hazelcast());
      String firstWorker = awaitWorker(state, name);
      int victim = firstWorker.equals("worker-0") ? 0 : 1;
      farm.worker(victim).kill();

      Operation last = null;
      while (stream.hasNext()) {
        last = stream.next();
      }
      ExecuteResponse r = ReapiClient.response(last);
      assertThat(r.getStatus().getCode()).isZero();
      assertThat(r.getResult().getExitCode()).isZero();
      assertThat(r.getResult().getOutputFilesList()).singleElement().satisfies(f -> assertThat(f.getPath()).isEqualTo("done.txt"));
      assertThat(r.getResult().getExecutionMetadata().getWorker()).isNotEqualTo(firstWorker);
    }
  }

  @Test
  void actionOfASigkilledWorkerProcessCompletesOnAnotherWorker() throws Exception {
    Path dir = Files.createTempDirectory("kiln-worker-death");
    try (EmbeddedFarm farm = FarmFixture.start(0, 1, Duration.ofSeconds(1)); RoleProcesses roles = new RoleProcesses(dir.resolve("logs"))) {
      String cluster = farm.hazelcast().getConfig().getClusterName();
      InetSocketAddress member = farm.hazelcast().getCluster().getLocalMember().getSocketAddress();
      for (String id : List.of("worker-a", "worker-b")) {
        roles.start(id, "running 1 slot", "worker", "--id", id, "--slots", "1", "--kafka", farm.kafkaBootstrap(),
            "--cache", "127.0.0.1:" + member.getPort(), "--cluster", cluster, "--data-dir", dir.resolve(id).toString());
      }
      ScaleOutTest.awaitHealthy(farm.port(), "2 worker(s)");
      try (ReapiClient client = new ReapiClient(farm.port())) {
        Digest action = client.action(Directory.getDefaultInstance(), List.of("done.txt"), false, 0,
            "/bin/sh", "-c", "sleep 4; echo finished > done.txt # " + UUID.randomUUID());
        Iterator<Operation> stream = client.execution.withDeadlineAfter(300, TimeUnit.SECONDS)
            .execute(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build());
        String name = stream.next().getName();
        String victim = awaitWorker(new HazelcastExecutionState(farm.hazelcast()), name);
        roles.kill9(victim);

        Operation last = null;
        while (stream.hasNext()) {
          last = stream.next();
        }
        ExecuteResponse r = ReapiClient.response(last);
        assertThat(r.getStatus().getCode()).as(r.getStatus().toString()).isZero();
        assertThat(r.getResult().getExitCode()).isZero();
        assertThat(r.getResult().getOutputFilesList()).singleElement().satisfies(f -> assertThat(f.getPath()).isEqualTo("done.txt"));
        assertThat(r.getResult().getExecutionMetadata().getWorker()).isIn("worker-a", "worker-b").isNotEqualTo(victim);
      }
    }
  }

  private static String awaitWorker(HazelcastExecutionState state, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Optional<OperationRecord> r = Futures.await(state.get(name));
      if (r.isPresent() && !r.get().getWorker().isEmpty()) {
        return r.get().getWorker();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no worker picked up " + name);
  }
}
