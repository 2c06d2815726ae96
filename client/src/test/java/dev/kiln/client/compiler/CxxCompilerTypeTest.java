package dev.kiln.client.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.cxx.CxxCommand;
import dev.kiln.client.cxx.CxxCompilerType;
import dev.kiln.client.cxx.CxxDetails;
import dev.kiln.proto.goma.ExecReq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CxxCompilerTypeTest extends CompilerTypeContract<CxxCommand, CxxDetails> {
  private final CxxCompilerType type = new CxxCompilerType();

  @Override
  protected CompilerType<CxxCommand, CxxDetails> type() {
    return type;
  }

  @Override
  protected List<String> compileOfASourceWithOneInclude() throws Exception {
    Files.writeString(dir.resolve("a.h"), "int a;\n");
    Files.writeString(dir.resolve("a.c"), "#include \"a.h\"\n#include <stdio.h>\n");
    return List.of("gcc", "-O2", "-c", "a.c", "-o", "a.o");
  }

  @Override
  protected Path theIncludedFile() {
    return dir.resolve("a.h");
  }

  @Override
  protected List<String> notARemoteCompile() {
    return List.of("gcc", "a.o", "-o", "a.out");
  }

  @Test
  void namesWithTargetPrefixesAndVersionSuffixesAreCompilers() {
    for (String n : List.of("gcc", "g++", "cc", "c++", "clang", "clang++", "x86_64-linux-gnu-gcc-12", "clang-16", "g++-12")) {
      assertThat(type.handles(n)).as(n).isTrue();
    }
    for (String n : List.of("ld", "ar", "fake-cc", "gcc-ar")) {
      assertThat(type.handles(n)).as(n).isFalse();
    }
  }

  private ExecReq normalized(String... argv) throws Exception {
    compileOfASourceWithOneInclude();
    CxxCommand c = type.parse(List.of(argv), dir);
    return type.normalize(ExecReq.newBuilder().addAllArg(List.of(argv)).setCwd(dir.toString()).buildPartial(), c);
  }

  @Test
  void theCwdLeavesTheKeyOnlyWhenNothingInTheOutputRecordsIt() throws Exception {
    assertThat(normalized("gcc", "-O2", "-c", "a.c", "-o", "a.o").hasCwd()).isFalse();
    assertThat(normalized("gcc", "-g", "-c", "a.c", "-o", "a.o").hasCwd()).isTrue();
    assertThat(normalized("gcc", "-g", "-g0", "-c", "a.c", "-o", "a.o").hasCwd()).isFalse();
    assertThat(normalized("gcc", "-I" + dir, "-c", "a.c", "-o", "a.o").hasCwd()).isTrue();
    assertThat(normalized("gcc", "-isystem" + dir, "-c", "a.c", "-o", "a.o").hasCwd()).isTrue();
    assertThat(normalized("gcc", "-DROOT=\"" + dir + "\"", "-c", "a.c", "-o", "a.o").hasCwd()).isTrue();
    assertThat(normalized("gcc", "-c", "a.c", "-o", dir.resolve("a.o").toString()).hasCwd()).isTrue();
    assertThat(normalized("gcc", "-I/usr/include/x", "-c", "a.c", "-o", "a.o").hasCwd()).isFalse();
  }

  @Test
  void responseFilesAreInputs() throws Exception {
    compileOfASourceWithOneInclude();
    Files.writeString(dir.resolve("args.rsp"), "-O2 -c a.c -o a.o\n");
    CxxCommand c = type.parse(List.of("gcc", "@args.rsp"), dir);
    assertThat(type.inputs(c, type.info(c))).contains(dir.resolve("args.rsp"), dir.resolve("a.c"), dir.resolve("a.h"));
  }
}
