package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import build.bazel.remote.execution.v2.SymlinkNode;
import com.google.rpc.Code;
import dev.kiln.worker.sandbox.SandboxLimits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every attack of the isolation issue, sent as raw REAPI requests and as Bazel genrules to the
 * farm `bin/kiln up` runs (EmbeddedFarm, real bubblewrap sandbox, small limits): each ends with
 * its precise status, the host is untouched, and the farm serves the next action.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class HostileActionsTest {
  private static final SandboxLimits LIMITS = new SandboxLimits(256L << 20, 64, 16L << 20, 32L << 20, 10_000, 61000, 61000);
  private static EmbeddedFarm farm;
  private static ReapiClient client;
  private static Path host;

  @BeforeAll
  static void start() throws Exception {
    host = Files.createTempDirectory("kiln-host");
    farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 1, Files.createTempDirectory("kiln-hostile"), false,
        "kiln-hostile-" + System.nanoTime(), Duration.ofSeconds(30)).withLimits(LIMITS, Duration.ofSeconds(60)));
    client = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    farm.close();
  }

  /** After every attack the farm still runs an ordinary action. */
  @AfterEach
  void farmStillServes() {
    Digest ok = client.action(Directory.getDefaultInstance(), List.of("ok.txt"), true, 30, "/bin/sh", "-c", "echo ok > ok.txt");
    ExecuteResponse r = client.execute(ok, true);
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isZero();
    assertThat(r.getResult().getOutputFilesCount()).isEqualTo(1);
  }

  private static ExecuteResponse run(String script, String... outputs) {
    return client.execute(client.action(Directory.getDefaultInstance(), List.of(outputs), true, 30, "/bin/sh", "-c", script), true);
  }

  private static void assertStatus(ExecuteResponse r, Code code, String message) {
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isEqualTo(code.getNumber());
    assertThat(r.getStatus().getMessage()).contains(message);
  }

  @Test
  void aSymlinkedOutputParentDoesNotBringAHostFileIntoTheCas() throws Exception {
    byte[] secret = ReapiClient.utf8("host secret " + UUID.randomUUID());
    Files.write(host.resolve("leak.o"), secret);
    ExecuteResponse r = run("rm -rf out && ln -s " + host + " out", "out/leak.o");
    assertStatus(r, Code.INVALID_ARGUMENT, "lies below the symlink 'out'");
    var missing = client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(ReapiClient.digest(secret)).build());
    assertThat(missing.getMissingBlobDigestsCount()).isEqualTo(1);
  }

  @Test
  void inputSymlinksClimbingOutAreRefusedAtTheFrontDoor() {
    Directory root = Directory.newBuilder().addSymlinks(SymlinkNode.newBuilder().setName("up").setTarget("../../etc")).build();
    Digest action = client.action(root, List.of("x"), true, 30, "/bin/cat", "up/shadow");
    assertThatThrownBy(() -> client.execute(action, true)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("climbs out of the input root");
    });
  }

  @Test
  void aDagBombIsRefusedAtTheFrontDoorBeforeAnyWorkerSeesIt() {
    Directory d = Directory.getDefaultInstance();
    for (int i = 0; i < 20; i++) {
      client.upload(d.toByteArray());
      Digest child = ReapiClient.digest(d);
      d = Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("a").setDigest(child))
          .addDirectories(DirectoryNode.newBuilder().setName("b").setDigest(child)).build();
    }
    Digest action = client.action(d, List.of(), true, 30, "/bin/true");
    assertThatThrownBy(() -> client.execute(action, true)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("expands to more than");
    });
  }

  @Test
  void theActionIsUnprivilegedSeesNoSecretsAndLeavesNothingOnTheHost() throws Exception {
    String marker = "kiln-marker-" + UUID.randomUUID();
    ExecuteResponse r = run("id -u > id.txt; (cat /etc/shadow >/dev/null 2>&1 && echo READ || echo denied) > shadow.txt;"
        + " tr '\\0' '\\n' < /proc/1/environ > environ.txt; echo x > /tmp/" + marker + "; (echo x > /etc/" + marker + ") 2>/dev/null; true",
        "id.txt", "shadow.txt", "environ.txt");
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isZero();
    assertThat(r.getResult().getOutputFilesCount()).isEqualTo(3);
    assertThat(Path.of("/tmp", marker)).doesNotExist();
    assertThat(Path.of("/etc", marker)).doesNotExist();
    assertThat(read(r, 1)).isEqualTo("denied\n");
    assertThat(read(r, 2)).isEqualTo("PATH=/usr/bin:/bin\n");
    if (System.getProperty("user.name").equals("root")) {
      assertThat(read(r, 0)).isEqualTo("61000\n");
    }
  }

  private static String read(ExecuteResponse r, int output) {
    Digest d = r.getResult().getOutputFiles(output).getDigest();
    var got = client.cas.batchReadBlobs(build.bazel.remote.execution.v2.BatchReadBlobsRequest.newBuilder().addDigests(d).build());
    return got.getResponses(0).getData().toStringUtf8();
  }

  @Test
  void memoryAndProcessesAreLimited() {
    assertStatus(run("python3 -c 'x = bytearray(1 << 30)'"), Code.RESOURCE_EXHAUSTED, "memory limit of 256 MiB");
    assertStatus(run("for i in $(seq 300); do sleep 5 & done; wait"), Code.RESOURCE_EXHAUSTED, "limit of 64 processes");
  }

  @Test
  void aTwoGibOutputNeitherCrashesNorStallsTheWorker() {
    // A sparse 2 GiB file is refused by the file size limit as it is written ...
    ExecuteResponse sparse = run("truncate -s 2G big.o", "big.o");
    assertThat(sparse.getResult().getExitCode()).isEqualTo(153);
    assertThat(sparse.getMessage()).contains("file size limit of 16 MiB");
    assertThat(sparse.getResult().getOutputFilesList()).allSatisfy(f -> assertThat(f.getDigest().getSizeBytes()).isLessThanOrEqualTo(16L << 20));
    // ... and outputs that fit the file limit but not the action's output budget, from their sizes, before reading.
    ExecuteResponse many = run("for i in 1 2 3; do head -c 7000000 /dev/zero > $i.o; done", "1.o", "2.o", "3.o");
    assertStatus(many, Code.RESOURCE_EXHAUSTED, "over its output limit (at '3.o')");
  }

  @Test
  void aFifoOutputFailsAtOnceInsteadOfBlockingTheSlot() {
    assertStatus(run("mkfifo out.o", "out.o"), Code.INVALID_ARGUMENT, "FIFO, socket or device");
  }

  @Test
  void theTimeoutAlsoKillsWhatTheActionLeftRunning() {
    ExecuteResponse r = client.execute(client.action(Directory.getDefaultInstance(), List.of(), true, 2, "/bin/sh", "-c",
        "(sleep 120 &); sleep 120"), true);
    assertStatus(r, Code.DEADLINE_EXCEEDED, "timeout of 2 s");
  }

  @Test
  void bazelGenrulesThatAttackTheWorkerFailPreciselyAndAHarmlessOneBuilds() throws Exception {
    Path dir = Files.createTempDirectory("kiln-hostile-bazel");
    byte[] secret = ReapiClient.utf8("bazel host secret " + UUID.randomUUID());
    Files.write(host.resolve("leak.txt"), secret);
    try (BazelWorkspace ws = new BazelWorkspace(dir, 1)) {
      Path pkg = Files.createDirectories(ws.workspace.resolve("hostile"));
      Files.writeString(pkg.resolve("BUILD"), """
          genrule(name = "leak", outs = ["sub/leak.txt"], cmd = "rm -rf $$(dirname $@) && ln -s %s $$(dirname $@)")
          genrule(name = "etc", outs = ["etc.txt"], cmd = "echo x > /etc/kiln-genrule && echo wrote > $@")
          genrule(name = "fine", outs = ["fine.txt"], cmd = "echo fine > $@")
          """.formatted(host));
      BazelWorkspace.Run run = ws.run("build", List.of("--remote_executor=grpc://127.0.0.1:" + farm.port(), "--spawn_strategy=remote",
          "--noremote_local_fallback", "--keep_going", "--remote_timeout=60s"), "//hostile:all");
      assertThat(run.exitCode()).as(run.output()).isNotZero();
      assertThat(run.output()).contains("lies below the symlink");
      assertThat(run.output()).contains("Read-only file system");
      assertThat(Path.of("/etc/kiln-genrule")).doesNotExist();
      assertThat(Files.readString(ws.workspace.resolve("bazel-bin/hostile/fine.txt"))).isEqualTo("fine\n");
      var missing = client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(ReapiClient.digest(secret)).build());
      assertThat(missing.getMissingBlobDigestsCount()).isEqualTo(1);
    }
  }
}
