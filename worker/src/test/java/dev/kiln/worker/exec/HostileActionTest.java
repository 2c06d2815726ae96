package dev.kiln.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.SymlinkNode;
import com.google.protobuf.util.Durations;
import com.google.rpc.Code;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.testing.Blobs;
import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.sandbox.SandboxLimits;
import dev.kiln.worker.sandbox.SandboxProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Actions that attack the worker, each run in the real sandbox: every one ends with a precise
 * status, the host is untouched, and the worker goes on serving. The end-to-end twins (through a
 * whole farm and Bazel) are in launcher's HostileActionsTest.
 */
class HostileActionTest {
  @TempDir Path tmp;
  @TempDir Path host;
  private final VerifyingBlobStore cas = new VerifyingBlobStore(new InMemoryBlobStore(), 1 << 24);
  private static final SandboxLimits SMALL = new SandboxLimits(128L << 20, 64, 8L << 20, 4L << 20, 10_000, 61000, 61000);

  private LocalActionExecutor executor(SandboxLimits limits) {
    WorkerConfig config = WorkerConfig.defaults("worker-h", 1, tmp).withLimits(limits).withMaxTimeout(Duration.ofSeconds(20));
    return new LocalActionExecutor(cas, new LocalBlobCache(tmp.resolve("cache"), cas), SandboxProbe.check(config.execDir(), limits),
        config, Clock.systemUTC());
  }

  private ExecuteResponse run(Directory root, String script, String... outputs) {
    return run(SandboxLimits.defaults(), root, script, 20, outputs);
  }

  private ExecuteResponse run(SandboxLimits limits, Directory root, String script, int timeoutS, String... outputs) {
    Blobs.put(cas, root);
    Command.Builder cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c").addArguments(script)
        .addEnvironmentVariables(Command.EnvironmentVariable.newBuilder().setName("PATH").setValue("/usr/bin:/bin"));
    for (String o : outputs) {
      cmd.addOutputPaths(o);
    }
    Digest c = Blobs.put(cas, cmd.build());
    Digest a = Blobs.put(cas, Action.newBuilder().setCommandDigest(c.toProto()).setInputRootDigest(Digest.of(root.toByteArray()).toProto())
        .setTimeout(Durations.fromSeconds(timeoutS)).build());
    return executor(limits).execute(QueuedAction.newBuilder().setOperationName("operations/h").setActionDigest(a.toProto()).build());
  }

  private String blob(build.bazel.remote.execution.v2.Digest d) {
    return new String(Futures.await(cas.get(Digest.fromProto(d))).orElseThrow(), StandardCharsets.UTF_8);
  }

  private static void assertStatus(ExecuteResponse r, Code code, String message) {
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isEqualTo(code.getNumber());
    assertThat(r.getStatus().getMessage()).contains(message);
  }

  @Test
  void anOutputWhoseParentIsReplacedByASymlinkToTheHostIsRefusedNotRead() throws Exception {
    Files.writeString(host.resolve("secret.o"), "host secret");
    ExecuteResponse r = run(Directory.getDefaultInstance(), "rm -rf out && ln -s " + host + " out", "out/secret.o");
    assertStatus(r, Code.INVALID_ARGUMENT, "lies below the symlink 'out'");
    assertThat(r.getResult().getOutputFilesList()).isEmpty();
  }

  @Test
  void aSymlinkOutputIsReportedAsASymlinkNeverAsItsTargetsBytes() {
    ExecuteResponse r = run(Directory.getDefaultInstance(), "ln -s /etc/passwd leak.txt", "leak.txt");
    assertThat(r.getStatus().getCode()).isZero();
    assertThat(r.getResult().getOutputFilesList()).isEmpty();
    assertThat(r.getResult().getOutputSymlinks(0).getTarget()).isEqualTo("/etc/passwd");
  }

  @Test
  void aFifoOutputIsAFailureAndNeverOpened() {
    ExecuteResponse r = run(Directory.getDefaultInstance(), "mkfifo out.o && mkdir d && mkfifo d/p", "out.o");
    assertStatus(r, Code.INVALID_ARGUMENT, "FIFO, socket or device");
    ExecuteResponse inDir = run(Directory.getDefaultInstance(), "mkdir d && mkfifo d/p", "d");
    assertStatus(inDir, Code.INVALID_ARGUMENT, "output 'd/p' is a FIFO");
  }

  @Test
  void anInputSymlinkClimbingOutOfTheRootIsRefusedBeforeAnythingRuns() {
    Directory root = Directory.newBuilder().addSymlinks(SymlinkNode.newBuilder().setName("etc").setTarget("../../../../etc")).build();
    ExecuteResponse r = run(root, "cat etc/shadow > out.txt", "out.txt");
    assertStatus(r, Code.INVALID_ARGUMENT, "climbs out of the input root");
  }

  @Test
  void aWorkingDirectoryThroughAnInputSymlinkCreatesNothingOnTheHost() {
    Directory root = Directory.newBuilder().addSymlinks(SymlinkNode.newBuilder().setName("w").setTarget("sub")).build();
    Blobs.put(cas, root);
    Command cmd = Command.newBuilder().addArguments("/bin/true").setWorkingDirectory("w/made-on-host").build();
    Digest c = Blobs.put(cas, cmd);
    Digest a = Blobs.put(cas, Action.newBuilder().setCommandDigest(c.toProto()).setInputRootDigest(Digest.of(root.toByteArray()).toProto()).build());
    ExecuteResponse r = executor(SandboxLimits.defaults()).execute(QueuedAction.newBuilder().setOperationName("operations/w").setActionDigest(a.toProto()).build());
    assertStatus(r, Code.INVALID_ARGUMENT, "goes through the symlink 'w'");
  }

  @Test
  void theActionRunsUnprivilegedWithOnlyItsOwnEnvironment() {
    ExecuteResponse r = run(Directory.getDefaultInstance(),
        "id -u > id.txt; (cat /etc/shadow > /dev/null 2>&1 && echo READ || echo denied) > shadow.txt;"
            + " tr '\\0' '\\n' < /proc/1/environ > environ.txt; grep CapEff /proc/self/status > caps.txt;"
            + " (touch /etc/kiln-probe 2>/dev/null && echo WROTE || echo ro) > etc.txt",
        "id.txt", "shadow.txt", "environ.txt", "caps.txt", "etc.txt");
    assertThat(r.getStatus().getCode()).isZero();
    String id = blob(r.getResult().getOutputFiles(0).getDigest()).trim();
    if (System.getProperty("user.name").equals("root")) {
      assertThat(id).isEqualTo("61000");
    }
    assertThat(blob(r.getResult().getOutputFiles(1).getDigest())).isEqualTo("denied\n");
    assertThat(blob(r.getResult().getOutputFiles(2).getDigest()).trim()).isEqualTo("PATH=/usr/bin:/bin");
    assertThat(blob(r.getResult().getOutputFiles(3).getDigest())).contains("0000000000000000");
    assertThat(blob(r.getResult().getOutputFiles(4).getDigest())).isEqualTo("ro\n");
    assertThat(Path.of("/etc/kiln-probe")).doesNotExist();
  }

  @Test
  void memoryOverTheLimitStopsTheActionWithResourceExhausted() {
    ExecuteResponse r = run(SMALL, Directory.getDefaultInstance(), "python3 -c 'x = bytearray(512 << 20); print(len(x))'", 20);
    assertStatus(r, Code.RESOURCE_EXHAUSTED, "memory limit of 128 MiB");
  }

  @Test
  void aForkBombHitsTheProcessLimit() {
    ExecuteResponse r = run(SMALL, Directory.getDefaultInstance(), "for i in $(seq 200); do sleep 5 & done; wait", 20);
    assertStatus(r, Code.RESOURCE_EXHAUSTED, "limit of 64 processes");
  }

  @Test
  void fillingTheExecRootIsStoppedAtTheDiskLimit() {
    ExecuteResponse r = run(SMALL, Directory.getDefaultInstance(),
        "for i in 1 2 3 4 5 6 7 8; do head -c 1000000 /dev/zero > f$i; done; sleep 10", 20);
    assertStatus(r, Code.RESOURCE_EXHAUSTED, "exec root disk limit of 4 MiB");
  }

  @Test
  void outputsOverTheOutputLimitAreRefusedFromTheirSizeBeforeReading() {
    SandboxLimits tightOutputs = new SandboxLimits(512L << 20, 256, 2L << 20, 64L << 20, 10_000, 61000, 61000);
    ExecuteResponse r = run(tightOutputs, Directory.getDefaultInstance(), "head -c 1500000 /dev/zero > a.o; head -c 1500000 /dev/zero > b.o", 20,
        "a.o", "b.o");
    assertStatus(r, Code.RESOURCE_EXHAUSTED, "over its output limit (at 'b.o')");
  }

  @Test
  void theTimeoutKillsBackgroundProcessesToo() throws Exception {
    ExecuteResponse r = run(SandboxLimits.defaults(), Directory.getDefaultInstance(), "(sleep 60 &) ; (setsid sleep 61 &) ; sleep 62", 1);
    assertStatus(r, Code.DEADLINE_EXCEEDED, "timeout of 1 s");
    assertThat(processesRunning("sleep 6")).isEmpty();
  }

  /** Command lines of live processes containing {@code needle}. */
  private static java.util.List<String> processesRunning(String needle) throws Exception {
    java.util.List<String> found = new java.util.ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(needle)) {
            found.add(cmd);
          }
        } catch (java.io.IOException e) {
          // the process ended meanwhile
        }
      }
    }
    return found;
  }

  @Test
  void tmpfsesAreBoundedAndNoNestedNamespaceCanMountAnother() {
    ExecuteResponse r = run(SMALL, Directory.getDefaultInstance(),
        "head -c 300000000 /dev/zero > /dev/shm/fill; echo $? > shm.txt; (echo x > /dev/new) 2>/dev/null; echo $? > dev.txt;"
            + " unshare -Urm true 2>/dev/null; echo $? > userns.txt", 20, "shm.txt", "dev.txt", "userns.txt");
    // Writing /dev/shm past the memory limit either stops at the tmpfs size or kills the action.
    if (r.getStatus().getCode() == 0) {
      assertThat(blob(r.getResult().getOutputFiles(0).getDigest()).trim()).isNotEqualTo("0");
      assertThat(blob(r.getResult().getOutputFiles(1).getDigest()).trim()).isNotEqualTo("0");
      assertThat(blob(r.getResult().getOutputFiles(2).getDigest()).trim()).isNotEqualTo("0");
    } else {
      assertStatus(r, Code.RESOURCE_EXHAUSTED, "memory limit of 128 MiB");
    }
  }

  @Test
  void aDagBombIsRefusedByTheInputEntryLimit() {
    Digest d = Blobs.put(cas, Directory.getDefaultInstance());
    for (int i = 0; i < 16; i++) {
      d = Blobs.put(cas, Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("a").setDigest(d.toProto()))
          .addDirectories(DirectoryNode.newBuilder().setName("b").setDigest(d.toProto())).build());
    }
    Directory root = Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("x").setDigest(d.toProto())).build();
    ExecuteResponse r = run(SMALL, root, "true", 20);
    assertStatus(r, Code.INVALID_ARGUMENT, "expands to more than 10000 entries");
  }
}
