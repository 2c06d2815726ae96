package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.fake.FakeCompiler;
import dev.kiln.client.fake.FakeCompilerType;
import dev.kiln.proto.goma.ExecReq;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's remote path, driven through the Fake compiler type against an in-memory farm that
 * keeps a file store by hash key and really runs the fake compiler on the inputs it was given.
 */
class GomaRemoteCompilerTest {
  @TempDir
  Path dir;
  @TempDir
  Path farmScratch;

  /** A farm: inputs by key (asks for those it lacks), runs argv in a fresh directory with exactly the inputs. */
  private final class FakeFarm implements GomaExec {
    final Map<String, ByteString> store = new HashMap<>();
    final List<ExecReq> requests = new ArrayList<>();

    @Override
    public ExecResp exec(ExecReq req, ExecReq normalized) throws IOException, InterruptedException {
      requests.add(req);
      ExecResp.Builder resp = ExecResp.newBuilder();
      for (ExecReq.Input in : req.getInputList()) {
        if (in.hasContent()) {
          store.put(in.getHashKey(), in.getContent().getContent());
        } else if (!store.containsKey(in.getHashKey())) {
          resp.addMissingInput(in.getFilename());
        }
      }
      if (resp.getMissingInputCount() > 0) {
        return resp.build();
      }
      Path root = Files.createTempDirectory(farmScratch, "run");
      for (ExecReq.Input in : req.getInputList()) {
        Path p = root.resolve(in.getFilename());
        Files.createDirectories(p.getParent());
        Files.write(p, store.get(in.getHashKey()).toByteArray());
      }
      for (String out : req.getExpectedOutputFilesList()) {
        Files.createDirectories(root.resolve(out).getParent());
      }
      Process p = new ProcessBuilder(req.getArgList()).directory(root.toFile()).start();
      int exit = p.waitFor();
      ExecResult.Builder result = ExecResult.newBuilder().setExitStatus(exit)
          .setStderrBuffer(ByteString.copyFrom(p.getErrorStream().readAllBytes()));
      for (String out : req.getExpectedOutputFilesList()) {
        byte[] data = Files.readAllBytes(root.resolve(out));
        result.addOutput(ExecResult.Output.newBuilder().setFilename(out).setBlob(dev.kiln.goma.FileBlobs.split(data).top()));
      }
      return resp.setResult(result).build();
    }
  }

  private final FakeFarm farm = new FakeFarm();
  private GomaRemoteCompiler compiler;
  private String fakeCc;

  @BeforeEach
  void setUp() throws Exception {
    compiler = new GomaRemoteCompiler(farm, new CompilerTypes(List.of(new FakeCompilerType())), new FileHashes(Clock.systemUTC()));
    fakeCc = FakeCompiler.install(dir.resolve("bin")).toString();
    Files.createDirectories(dir.resolve("inc"));
    Files.writeString(dir.resolve("inc/b.txt"), "included\n");
    Files.writeString(dir.resolve("a.txt"), "first\n#include \"inc/b.txt\"\nlast\n");
  }

  private static long withContent(ExecReq req) {
    return req.getInputList().stream().filter(ExecReq.Input::hasContent).count();
  }

  @Test
  void aCompileRunsRemotelyWritesItsOutputAndRecordsEveryPhaseAndInput() throws Exception {
    CompileTask task = new CompileTask(1, "fake", Clock.systemUTC());
    CompileResult r = compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "out/a.o"), dir, task);

    assertThat(r.exitStatus()).isZero();
    assertThat(Files.readString(dir.resolve("out/a.o"))).isEqualTo("first\nincluded\nlast\n");
    assertThat(task.phases()).containsOnlyKeys("flag parse", "compiler info", "include scan", "upload", "remote wait", "output write");
    assertThat(task.inputs()).containsExactlyInAnyOrder(dir.resolve("a.txt").toString(), dir.resolve("inc/b.txt").toString());
    assertThat(farm.requests.get(0).getInputList()).extracting(ExecReq.Input::getFilename).containsExactlyInAnyOrder("a.txt", "inc/b.txt");
    assertThat(compiler.compilers()).containsOnlyKeys("fake " + fakeCc);
  }

  @Test
  void contentTravelsOnceThenOnlyKeysUnlessTheFarmSaysItIsMissing() throws Exception {
    compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "a.o"), dir);
    assertThat(withContent(farm.requests.get(0))).isEqualTo(2);

    compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "again.o"), dir);
    assertThat(farm.requests).hasSize(2);
    assertThat(withContent(farm.requests.get(1))).isZero();

    farm.store.clear(); // the farm lost its file store (restart, eviction)
    CompileResult r = compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "third.o"), dir);
    assertThat(r.exitStatus()).isZero();
    assertThat(farm.requests).hasSize(4);
    assertThat(withContent(farm.requests.get(2))).isZero();
    assertThat(withContent(farm.requests.get(3))).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("third.o"))).isEqualTo("first\nincluded\nlast\n");
  }

  @Test
  void aChangedInputIsHashedAgainAndSent() throws Exception {
    compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "a.o"), dir);
    Files.writeString(dir.resolve("inc/b.txt"), "changed, longer\n");
    compiler.compile(List.of(fakeCc, "-c", "a.txt", "-o", "a.o"), dir);
    assertThat(withContent(farm.requests.get(1))).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("first\nchanged, longer\nlast\n");
  }

  @Test
  void aFailedCompileWritesNothingAndAnUnknownCompilerIsNotRemotable() throws Exception {
    Files.delete(dir.resolve("inc/b.txt"));
    Files.writeString(dir.resolve("bad.txt"), "#include \"nowhere.txt\"\n");
    assertThatThrownBy(() -> compiler.compile(List.of(fakeCc, "-c", "bad.txt", "-o", "bad.o"), dir)).isInstanceOf(IOException.class);
    assertThat(dir.resolve("bad.o")).doesNotExist();
    assertThatThrownBy(() -> compiler.compile(List.of("javac", "A.java"), dir))
        .isInstanceOfSatisfying(NotRemotable.class, e -> assertThat(e.fallback()).isFalse());
    assertThat(farm.requests).isEmpty();
  }

  @Test
  void aCompileErrorComesBackWithItsStatusAndNoOutput() throws Exception {
    String failing = dir.resolve("bin/fake-cc").toString();
    Files.writeString(Path.of(failing), "#!/bin/sh\necho 'a.txt:1: error: no' >&2\nexit 3\n");
    GomaExec noOutputs = (req, n) -> {
      ExecResp r = farm.exec(req.toBuilder().clearExpectedOutputFiles().build(), n);
      return r;
    };
    GomaRemoteCompiler c = new GomaRemoteCompiler(noOutputs, new CompilerTypes(List.of(new FakeCompilerType())), new FileHashes(Clock.systemUTC()));
    CompileResult r = c.compile(List.of(failing, "-c", "a.txt", "-o", "a.o"), dir);
    assertThat(r.exitStatus()).isEqualTo(3);
    assertThat(new String(r.stderr())).contains("error: no");
    assertThat(dir.resolve("a.o")).doesNotExist();
  }
}
