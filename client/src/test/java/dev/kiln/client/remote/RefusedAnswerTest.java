package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.fake.FakeCompiler;
import dev.kiln.client.fake.FakeCompilerType;
import dev.kiln.goma.FileBlobs;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile (or broken) farm's answers: outputs named outside the build tree, outputs the compile
 * never declared, a declared output missing from a "successful" answer, a symlinked output
 * directory. Each is refused with its reason and nothing at all is written, not even the declared
 * outputs the answer also carried.
 */
class RefusedAnswerTest {
  @TempDir
  Path dir;
  @TempDir
  Path outside;

  private String fakeCc;

  @BeforeEach
  void tree() throws Exception {
    fakeCc = FakeCompiler.install(dir.resolve("bin")).toString();
    Files.writeString(dir.resolve("a.txt"), "source\n");
  }

  private static ExecResult.Output output(String name, String content) {
    return ExecResult.Output.newBuilder().setFilename(name).setBlob(FileBlobs.split(content.getBytes()).top()).build();
  }

  /** A farm answering exit 0 with exactly {@code outputs}, whatever was asked. */
  private GomaRemoteCompiler farm(ExecResult.Output... outputs) {
    GomaExec exec = (req, key) -> ExecResp.newBuilder().setResult(ExecResult.newBuilder().setExitStatus(0).addAllOutput(List.of(outputs))).build();
    return new GomaRemoteCompiler(exec, new CompilerTypes(List.of(new FakeCompilerType())), new FileHashes(Clock.systemUTC()));
  }

  private List<Path> filesUnder(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !Files.isDirectory(p)).toList();
    }
  }

  private void assertRefused(GomaRemoteCompiler cc, String out, String reason) throws Exception {
    List<Path> before = filesUnder(dir);
    assertThatThrownBy(() -> cc.compile(List.of(fakeCc, "-c", "a.txt", "-o", out), dir))
        .isInstanceOf(RefusedAnswer.class).hasMessageContaining(reason);
    assertThat(filesUnder(dir)).as("nothing written in the build tree").containsExactlyInAnyOrderElementsOf(before);
    assertThat(filesUnder(outside)).as("nothing written outside").isEmpty();
  }

  @Test
  void anAbsoluteOutputNameIsRefusedAndNothingIsWritten() throws Exception {
    String evil = outside.resolve("evil").toString();
    assertRefused(farm(output("a.o", "obj"), output(evil, "pwned")), "a.o", "did not declare: '" + evil + "' (an absolute path)");
    assertThat(dir.resolve("a.o")).as("not even the declared output").doesNotExist();
  }

  @Test
  void aNameClimbingOutWithDotDotIsRefused() throws Exception {
    String climb = "../" + outside.getFileName() + "/evil";
    assertRefused(farm(output(climb, "pwned"), output("a.o", "obj")), "a.o", "(it climbs out with ..)");
    assertRefused(farm(output("sub/../../" + outside.getFileName() + "/x", "pwned")), "a.o", "did not declare");
  }

  @Test
  void anUndeclaredNameInsideTheTreeOrATwiceAnsweredOutputIsRefused() throws Exception {
    assertRefused(farm(output("a.o", "obj"), output("Makefile", "all:\n\trm -rf ~\n")), "a.o", "did not declare: 'Makefile'");
    assertRefused(farm(output("a.o", "obj"), output("a.o", "other")), "a.o", "twice");
  }

  @Test
  void exitZeroWithoutTheDeclaredOutputIsAFailureThatLeavesTheOldObjectAlone() throws Exception {
    Files.writeString(dir.resolve("a.o"), "old object");
    assertRefused(farm(), "a.o", "exit status 0 without the declared output 'a.o'");
    assertThat(Files.readString(dir.resolve("a.o"))).isEqualTo("old object");
  }

  @Test
  void anOutputDirectoryThatIsASymlinkIsRefused() throws Exception {
    Files.createSymbolicLink(dir.resolve("obj"), outside);
    assertRefused(farm(output("obj/a.o", "obj")), "obj/a.o", "the output directory " + dir.resolve("obj") + " is a symlink");
  }

  @Test
  void theDeclaredOutputIsWrittenAtThePathTheCompileNamed() throws Exception {
    Path elsewhere = outside.resolve("objs/a.o");
    CompileResult r = farm(output("../" + outside.getFileName() + "/objs/a.o", "obj")).compile(List.of(fakeCc, "-c", "a.txt", "-o", elsewhere.toString()), dir);
    assertThat(r.exitStatus()).isZero();
    assertThat(Files.readString(elsewhere)).as("an -o outside the tree, as the compile asked").isEqualTo("obj");
  }
}
