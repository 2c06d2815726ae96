package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.cxx.CompileCommands;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.CompileResult;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.HttpGomaExec;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kiln-cc's remote path on a real C project: every lua 5.4 translation unit compiled through the
 * farm (include processor, Goma /e, sandboxed gcc on a worker) gives an object byte-identical to a
 * local gcc compile; compiling everything again is all cache hits.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RemoteCompileTest {
  @Test
  void luaObjectsAreByteIdenticalToLocalOnesAndTheSecondRoundIsAllHits() throws Exception {
    List<CompileCommands> units = CompileCommands.lua();
    Path remoteOut = Files.createTempDirectory("kiln-remote-objs");
    Path localOut = Files.createTempDirectory("kiln-local-objs");
    try (EmbeddedFarm farm = FarmFixture.start(1, 2, Duration.ofSeconds(30))) {
      GomaRemoteCompiler cc = new GomaRemoteCompiler(new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.port()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()), CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC()));
      for (int round = 0; round < 2; round++) {
        int hits = 0;
        for (CompileCommands u : units) {
          String unit = u.argv().get(u.argv().size() - 1);
          String obj = unit.replace(".c", ".o");
          List<String> argv = new ArrayList<>(u.argv());
          argv.addAll(List.of("-o", remoteOut.resolve(obj).toString()));
          CompileResult r = cc.compile(argv, u.cwd());
          assertThat(r.exitStatus()).as(unit + ": " + new String(r.stderr())).isZero();
          hits += r.cacheHit() ? 1 : 0;
          if (round == 0) {
            List<String> local = new ArrayList<>(u.argv());
            local.addAll(List.of("-o", localOut.resolve(obj).toString()));
            Process p = new ProcessBuilder(local).directory(u.cwd().toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            assertThat(Files.readAllBytes(remoteOut.resolve(obj))).as(obj).isEqualTo(Files.readAllBytes(localOut.resolve(obj)));
          }
        }
        System.out.printf("round %d: %d TUs, %d cache hits%n", round + 1, units.size(), hits);
        if (round == 1) {
          assertThat(hits).isEqualTo(units.size());
        }
      }

      // Dependency files come back too, identical to a local compile's (relative paths, as make uses).
      Path copy = Files.createTempDirectory("kiln-lua-copy");
      try (var files = Files.list(units.get(0).cwd())) {
        for (Path f : files.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      List<String> withDeps = List.of("gcc", "-std=gnu99", "-O2", "-DLUA_USE_LINUX", "-MMD", "-MF", "deps/lvm.d", "-c", "lvm.c", "-o", "obj/lvm.o");
      assertThat(cc.compile(withDeps, copy).exitStatus()).isZero();
      String remoteDeps = Files.readString(copy.resolve("deps/lvm.d"));
      Files.delete(copy.resolve("deps/lvm.d"));
      Process p = new ProcessBuilder(withDeps).directory(copy.toFile()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
      assertThat(remoteDeps).isEqualTo(Files.readString(copy.resolve("deps/lvm.d"))).contains("lvm.c").contains("lvm.h");
    }
  }

  @Test
  void aHeaderOverTwoMebibytesTravelsAsChunksAndTheObjectIsIdentical() throws Exception {
    Path dir = Files.createTempDirectory("kiln-big-header");
    StringBuilder big = new StringBuilder("#define BIG_" + System.nanoTime() + " 1\n");
    while (big.length() < 5 * 1024 * 1024 + 100) {
      big.append("/* padding padding padding padding padding padding padding padding padding padding */\n");
    }
    big.append("static const int big_answer = 42;\n");
    Files.writeString(dir.resolve("big.h"), big);
    Files.writeString(dir.resolve("b.c"), "#include \"big.h\"\nint answer(void) { return big_answer; }\n");
    try (EmbeddedFarm farm = FarmFixture.start(1, 1, Duration.ofSeconds(30))) {
      GomaRemoteCompiler cc = new GomaRemoteCompiler(new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.port()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()), CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC()));
      CompileResult r = cc.compile(List.of("gcc", "-O2", "-c", "b.c", "-o", "b.o"), dir);
      assertThat(r.exitStatus()).as(new String(r.stderr())).isZero();
      byte[] remote = Files.readAllBytes(dir.resolve("b.o"));
      Process p = new ProcessBuilder("gcc", "-O2", "-c", "b.c", "-o", "b.local.o").directory(dir.toFile()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor()).isZero();
      assertThat(remote).isEqualTo(Files.readAllBytes(dir.resolve("b.local.o")));
    }
  }
}
