package dev.kiln.scheduler.goma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GomaCompileTest {
  private final Path root = Path.of("/home/u/proj");
  private final Path cwd = Path.of("/home/u/proj/build");

  @Test
  void absolutePathsIntoTheExecRootBecomeRelativeToTheCwd() {
    assertThat(GomaCompile.relocate("/home/u/proj/src/a.c", cwd, root)).isEqualTo("../src/a.c");
    assertThat(GomaCompile.relocate("-I/home/u/proj/include", cwd, root)).isEqualTo("-I../include");
    assertThat(GomaCompile.relocate("-o/home/u/proj/build/a.o", cwd, root)).isEqualTo("-oa.o");
    assertThat(GomaCompile.relocate("/home/u/proj/build", cwd, root)).isEqualTo(".");
  }

  @Test
  void everythingElseIsLeftAlone() {
    assertThat(GomaCompile.relocate("-I/usr/include/foo", cwd, root)).isEqualTo("-I/usr/include/foo");
    assertThat(GomaCompile.relocate("-O2", cwd, root)).isEqualTo("-O2");
    assertThat(GomaCompile.relocate("src/a.c", cwd, root)).isEqualTo("src/a.c");
    assertThat(GomaCompile.relocate("-DPATH=/home/u/proj", cwd, root)).isEqualTo("-DPATH=/home/u/proj");
  }

  private static boolean recordsPaths(String... args) {
    dev.kiln.proto.goma.ExecReq req = dev.kiln.proto.goma.ExecReq.newBuilder().setCwd("/home/u/proj/build").addAllArg(java.util.List.of(args)).buildPartial();
    GomaLayout layout = new GomaLayout(Path.of("/home/u/proj"), "build", java.util.Map.of(), java.util.List.of());
    return GomaCompile.recordsAbsolutePaths(req, layout);
  }

  @Test
  void debugInfoOrAnAbsolutePathIntoTheRootMakesTheOutputPathDependent() {
    assertThat(recordsPaths("gcc", "-c", "-O2", "a.c", "-o", "a.o")).isFalse();
    assertThat(recordsPaths("gcc", "-c", "-g", "a.c")).isTrue();
    assertThat(recordsPaths("gcc", "-c", "-ggdb3", "a.c")).isTrue();
    assertThat(recordsPaths("gcc", "-c", "-gdwarf-4", "a.c")).isTrue();
    assertThat(recordsPaths("gcc", "-c", "-g", "-g0", "a.c")).isFalse();
    assertThat(recordsPaths("gcc", "-c", "-I/home/u/proj/include", "a.c")).isTrue();
    assertThat(recordsPaths("gcc", "-c", "-DROOT=\"/home/u/proj\"", "a.c")).isTrue();
    assertThat(recordsPaths("gcc", "-c", "-I/usr/include/x", "-I/home/u/projects", "a.c")).isFalse();
    assertThat(recordsPaths("-g", "-c", "a.c")).as("argv[0] is the compiler").isFalse();
  }
}
