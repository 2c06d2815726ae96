package dev.kiln.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bubblewrap sandbox: isolation, exec root, environment and timeout. */
class BubblewrapRunnerTest {
  private static BubblewrapRunner runner;
  private static Path scratch;
  @TempDir Path tmp;

  @BeforeAll
  static void probe(@TempDir Path dir) {
    runner = SandboxProbe.check(dir.resolve("exec"), SandboxLimits.defaults());
    scratch = runner.scratchDir(dir.resolve("exec"));
  }

  private RunResult run(Path root, Duration timeout, String script, Map<String, String> env) {
    return runner.run(new RunRequest(root, "", List.of("/bin/sh", "-c", script), env, timeout, tmp.resolve("out"), tmp.resolve("err")));
  }

  /** A fresh exec root where the sandbox user can reach it (a @TempDir is private to root). */
  private Path root() throws Exception {
    Path dir = Files.createTempDirectory(scratch, "t");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    return Files.createDirectories(dir.resolve("root"));
  }

  @Test
  void execRootIsWritableAtAFixedPathAndTheEnvironmentIsExactlyTheCommands() throws Exception {
    Path root = root();
    RunResult r = run(root, Duration.ofSeconds(30), "pwd > where; env | sort > env.txt", Map.of("FOO", "bar", "PATH", "/usr/bin:/bin"));
    assertThat(r.exitCode()).isZero();
    assertThat(Files.readString(root.resolve("where")).trim()).isEqualTo(BubblewrapRunner.SANDBOX_EXEC_ROOT);
    assertThat(Files.readString(root.resolve("env.txt"))).contains("FOO=bar").doesNotContain("HOME=").doesNotContain("JAVA_HOME");
  }

  @Test
  void anInputRootPathShowsTheExecRootThereAndStillHidesTheHost() throws Exception {
    Path root = root();
    Files.createDirectories(root.resolve("sub"));
    String at = "/home/someone/src/project";
    RunResult r = runner.run(new RunRequest(root, "sub", List.of("/bin/sh", "-c", "pwd > where; ls /home/someone/src > siblings; ls /tmp > tmp.txt"),
        Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30), tmp.resolve("out"), tmp.resolve("err"), java.util.Optional.of(at)));
    assertThat(r.exitCode()).isZero();
    assertThat(Files.readString(root.resolve("sub/where")).trim()).isEqualTo(at + "/sub");
    assertThat(Files.readString(root.resolve("sub/siblings")).trim()).isEqualTo("project");
    assertThat(Files.readString(root.resolve("sub/tmp.txt"))).isEmpty();
  }

  @Test
  void noNetworkReadOnlyToolchainPrivateTmp() throws Exception {
    Path root = root();
    Files.writeString(tmp.resolve("host-secret"), "x");
    RunResult r = run(root, Duration.ofSeconds(30),
        "awk -F: 'NR>2 {gsub(/ /, \"\", $1); print $1}' /proc/net/dev > net.txt; (touch /usr/probe && echo wrote) > usr.txt 2>&1; ls /tmp > tmp.txt; ls " + tmp + " > host.txt 2>&1; true",
        Map.of("PATH", "/usr/bin:/bin"));
    assertThat(r.exitCode()).isZero();
    assertThat(Files.readString(root.resolve("net.txt")).trim()).isEqualTo("lo");
    assertThat(Files.readString(root.resolve("usr.txt"))).contains("Read-only").doesNotContain("wrote");
    assertThat(Files.readString(root.resolve("tmp.txt"))).isEmpty();
    assertThat(Files.readString(root.resolve("host.txt"))).contains("No such file");
    assertThat(Files.exists(Path.of("/usr/probe"))).isFalse();
  }

  @Test
  void timeoutKillsTheWholeTree() throws Exception {
    long start = System.nanoTime();
    RunResult r = run(root(), Duration.ofMillis(500), "sleep 60 & sleep 60; wait", Map.of("PATH", "/usr/bin:/bin"));
    assertThat(r.timedOut()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void withoutCgroupsRlimitsStillBoundMemoryAndFileSize() throws Exception {
    SandboxLimits small = new SandboxLimits(256L << 20, 64, 1L << 20, 64L << 20, 1000, 61000, 61000);
    BubblewrapRunner fallback = new BubblewrapRunner(SandboxTools.find(), small, Cgroups.detect(tmp.resolve("no-cgroups"), small));
    Path root = root();
    RunResult r = fallback.run(new RunRequest(root, "", List.of("/bin/sh", "-c",
        "python3 -c 'x = bytearray(1 << 30)' 2> mem.txt; echo $? > mem.rc; (head -c 2000000 /dev/zero > big) 2>/dev/null; echo $? > big.rc"),
        Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(30), tmp.resolve("out"), tmp.resolve("err")));
    assertThat(r.exitCode()).isZero();
    assertThat(Files.readString(root.resolve("mem.txt"))).contains("MemoryError");
    assertThat(Files.readString(root.resolve("big.rc")).trim()).isNotEqualTo("0");
    assertThat(Files.size(root.resolve("big"))).isLessThanOrEqualTo(1L << 20);
  }
}
