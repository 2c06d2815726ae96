package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.fake.FakeCompiler;
import dev.kiln.client.fake.FakeCompilerType;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Race mode with the fake compiler type: a slow farm loses to the local run, a slow local run is killed. */
class RacingCompilerTest {
  @TempDir
  Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @BeforeEach
  void tree() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "local\n");
  }

  /** A farm that answers after {@code millis} with "REMOTE" as the output, or fails. */
  private static GomaExec farm(long millis, boolean fails) {
    return (req, key) -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (fails) {
        throw new IOException("farm unreachable");
      }
      return ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0).addOutput(ExecResult.Output.newBuilder()
          .setFilename(req.getExpectedOutputFiles(0)).setBlob(dev.kiln.goma.FileBlobs.split("REMOTE".getBytes()).top()))).build();
    };
  }

  private RacingCompiler racing(GomaExec farm) {
    return new RacingCompiler(new GomaRemoteCompiler(farm, new CompilerTypes(List.of(new FakeCompilerType())), new FileHashes(Clock.systemUTC())),
        Duration.ofMillis(100), pool, dir);
  }

  /** fake-cc that sleeps first and leaves a marker that it ran. */
  private String localCompiler(String name, double sleepSeconds) throws Exception {
    Path real = FakeCompiler.install(dir.resolve(name + "-real"));
    Path cc = dir.resolve(name).resolve("fake-cc");
    Files.createDirectories(cc.getParent());
    Files.writeString(cc, "#!/bin/sh\ntouch '" + dir.resolve(name + ".ran") + "'\nsleep " + sleepSeconds + "\nexec '" + real + "' \"$@\"\n");
    cc.toFile().setExecutable(true);
    return cc.toString();
  }

  private CompileTask task() {
    return new CompileTask(1, "race", Clock.systemUTC());
  }

  @Test
  void aSlowFarmLosesToTheLocalRunAndWritesNothingAfterwards() throws Exception {
    String cc = localCompiler("fast", 0);
    CompileResult r = racing(farm(3000, false)).compile(List.of(cc, "-c", "a.txt", "-o", "a.o"), dir, task());
    assertThat(r.ranLocally()).isTrue();
    assertThat(r.exitStatus()).isZero();
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("local\n");
    Thread.sleep(3500); // the farm's answer arrives and is dropped
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("local\n");
  }

  @Test
  void aFarmThatAnswersFirstWinsAndTheLocalRunIsKilled() throws Exception {
    String cc = localCompiler("slow", 30);
    long start = System.nanoTime();
    CompileResult r = racing(farm(800, false)).compile(List.of(cc, "-c", "a.txt", "-o", "a.o"), dir, task());
    assertThat(r.ranLocally()).isFalse();
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("REMOTE");
    assertThat(dir.resolve("slow.ran")).as("the local run had started").exists();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("did not wait for the 30 s local run").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aQuickFarmAnswerNeverStartsALocalRun() throws Exception {
    String cc = localCompiler("unused", 0);
    CompileResult r = racing(farm(0, false)).compile(List.of(cc, "-c", "a.txt", "-o", "a.o"), dir, task());
    assertThat(r.ranLocally()).isFalse();
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("REMOTE");
    assertThat(dir.resolve("unused.ran")).doesNotExist();
  }

  @Test
  void aFarmThatFailsDuringTheRaceLeavesTheLocalRunToFinish() throws Exception {
    String cc = localCompiler("steady", 1);
    CompileResult r = racing(farm(300, true)).compile(List.of(cc, "-c", "a.txt", "-o", "a.o"), dir, task());
    assertThat(r.ranLocally()).isTrue();
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("local\n");
    assertThat(r.farmError()).as("a fallback with the farm's reason, not a race the local run won")
        .isInstanceOf(IOException.class).hasMessage("farm unreachable");
  }

  @Test
  void aLocalRunThatWinsAgainstAFarmStillWorkingCarriesNoFarmError() throws Exception {
    String cc = localCompiler("quick", 0);
    CompileResult r = racing(farm(3000, false)).compile(List.of(cc, "-c", "a.txt", "-o", "a.o"), dir, task());
    assertThat(r.ranLocally()).isTrue();
    assertThat(r.farmError()).isNull();
  }
}
