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
}
