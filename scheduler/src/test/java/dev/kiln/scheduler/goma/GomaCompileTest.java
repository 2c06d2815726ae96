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

  private static final dev.kiln.proto.events.Toolchain GCC = dev.kiln.proto.events.Toolchain.newBuilder().setName("gcc").setPath("/usr/bin/gcc")
      .setBinarySha256("b1").setSystemDigest("s1").build();

  private static dev.kiln.proto.goma.ExecReq compile(String... env) {
    return dev.kiln.proto.goma.ExecReq.newBuilder().setCwd("/home/u/proj/build").addAllArg(java.util.List.of("gcc", "-c", "a.c", "-o", "a.o"))
        .addAllEnv(java.util.List.of(env)).buildPartial();
  }

  private dev.kiln.common.Digest actionDigest(dev.kiln.proto.events.Toolchain toolchain) {
    dev.kiln.proto.goma.ExecReq req = compile();
    GomaLayout layout = new GomaLayout(root, "build", java.util.Map.of(), java.util.List.of("a.o"));
    build.bazel.remote.execution.v2.Command command = GomaCompile.command(req, layout, toolchain, false);
    return dev.kiln.common.Digest.of(GomaCompile.action(req, command, dev.kiln.common.Digest.EMPTY, GomaCompile.platform(toolchain, null)).toByteArray());
  }

  @Test
  void theActionKeyNamesTheCompilerAndTheSystemFilesTheWorkerSupplies() {
    assertThat(actionDigest(GCC)).isEqualTo(actionDigest(GCC));
    assertThat(actionDigest(GCC.toBuilder().setSystemDigest("s2").build())).as("other system headers").isNotEqualTo(actionDigest(GCC));
    assertThat(actionDigest(GCC.toBuilder().setBinarySha256("b2").build())).as("other compiler binary").isNotEqualTo(actionDigest(GCC));
    assertThat(GomaCompile.platform(GCC, "/home/u/proj").getPropertiesList()).extracting(p -> p.getName() + "=" + p.getValue())
        .containsExactly("InputRootAbsolutePath=/home/u/proj", "kiln-toolchain=b1.s1");
    assertThat(GomaCompile.platform(dev.kiln.proto.events.Toolchain.newBuilder().setPath("./clang").build(), null).getPropertiesCount())
        .as("a client-shipped compiler is an input, already in the key").isZero();
  }

  @Test
  void onlyCompileRelevantEnvironmentReachesTheCommand() {
    dev.kiln.proto.goma.ExecReq req = compile("CPATH=inc", "COMPILER_PATH=/tmp/evil", "GCC_EXEC_PREFIX=/tmp/evil/", "LD_PRELOAD=/tmp/evil.so",
        "LD_LIBRARY_PATH=/tmp", "PATH=/tmp/evil", "PWD=/home/u/proj/build", "GCC_COMPARE_DEBUG=1", "BASH_ENV=/tmp/x");
    GomaLayout layout = new GomaLayout(root, "build", java.util.Map.of(), java.util.List.of("a.o"));
    assertThat(GomaCompile.command(req, layout, GCC, false).getEnvironmentVariablesList()).extracting(v -> v.getName() + "=" + v.getValue())
        .containsExactly("CPATH=inc", "PATH=/usr/bin:/bin");
  }
}

