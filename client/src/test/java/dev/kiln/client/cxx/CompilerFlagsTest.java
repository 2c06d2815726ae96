package dev.kiln.client.cxx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerFlagsTest {
  @TempDir Path cwd;

  @Test
  void parsesModesPathsMacrosAndInfoFlags() {
    CompilerFlags f = CompilerFlags.parse(List.of("gcc", "-c", "-O2", "-fPIC", "-std=gnu99", "-Iinc", "-I", "other", "-iquote", "q",
        "-isystem", "sys", "-idirafter", "late", "-include", "pre.h", "-DA=1", "-D", "B", "-UC", "-Wall", "-o", "out/x.o", "x.c"), cwd);
    assertThat(f.mode()).isEqualTo(CompilerFlags.Mode.COMPILE);
    assertThat(f.inputs()).containsExactly(cwd.resolve("x.c"));
    assertThat(f.output()).isEqualTo(cwd.resolve("out/x.o"));
    assertThat(f.includeDirs()).containsExactly(cwd.resolve("inc"), cwd.resolve("other"));
    assertThat(f.quoteDirs()).containsExactly(cwd.resolve("q"));
    assertThat(f.systemDirs()).containsExactly(cwd.resolve("sys"));
    assertThat(f.afterDirs()).containsExactly(cwd.resolve("late"));
    assertThat(f.forcedIncludes()).containsExactly(cwd.resolve("pre.h"));
    assertThat(f.macroOps()).containsExactly("DA=1", "DB", "UC");
    assertThat(f.infoFlags()).containsExactly("-O2", "-fPIC", "-std=gnu99");
    assertThat(f.isCxx()).isFalse();
  }

  @Test
  void dependencyFiles() {
    assertThat(CompilerFlags.parse(List.of("gcc", "-c", "-MMD", "-MF", ".depend/x.o.d", "-o", "x.o", "x.c"), cwd).depfile())
        .isEqualTo(cwd.resolve(".depend/x.o.d"));
    assertThat(CompilerFlags.parse(List.of("gcc", "-c", "-MD", "-o", "obj/x.o", "x.c"), cwd).depfile()).isEqualTo(cwd.resolve("obj/x.d"));
    assertThat(CompilerFlags.parse(List.of("gcc", "-c", "-o", "x.o", "x.c"), cwd).depfile()).isNull();
  }

  @Test
  void compileWithoutOutputWritesTheBasenameDotOInTheCwd() {
    assertThat(CompilerFlags.parse(List.of("gcc", "-c", "src/lvm.c"), cwd).output()).isEqualTo(cwd.resolve("lvm.o"));
  }

  @Test
  void otherModesAndLanguages() {
    assertThat(CompilerFlags.parse(List.of("gcc", "-E", "x.c"), cwd).mode()).isEqualTo(CompilerFlags.Mode.PREPROCESS);
    assertThat(CompilerFlags.parse(List.of("gcc", "-S", "x.c"), cwd).mode()).isEqualTo(CompilerFlags.Mode.ASSEMBLE);
    assertThat(CompilerFlags.parse(List.of("gcc", "x.o", "-o", "prog"), cwd).mode()).isEqualTo(CompilerFlags.Mode.LINK);
    assertThat(CompilerFlags.parse(List.of("g++", "-c", "x.cc"), cwd).isCxx()).isTrue();
    assertThat(CompilerFlags.parse(List.of("gcc", "-x", "c++", "-c", "x.h"), cwd).isCxx()).isTrue();
  }

  @Test
  void responseFilesAreExpanded() throws Exception {
    Files.writeString(cwd.resolve("args.rsp"), "-c -Iinc\n  x.c\n");
    CompilerFlags f = CompilerFlags.parse(List.of("gcc", "@args.rsp", "-o", "x.o"), cwd);
    assertThat(f.mode()).isEqualTo(CompilerFlags.Mode.COMPILE);
    assertThat(f.includeDirs()).containsExactly(cwd.resolve("inc"));
    assertThat(f.inputs()).containsExactly(cwd.resolve("x.c"));
  }
}
