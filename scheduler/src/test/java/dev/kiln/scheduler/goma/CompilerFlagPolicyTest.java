package dev.kiln.scheduler.goma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompilerFlagPolicyTest {
  private static List<String> args(String line) {
    return List.of(line.split(" "));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-wrapper|-c a.c -wrapper /bin/sh,-c,touch${IFS}/tmp/x",
      "--wrapper|-c a.c --wrapper /bin/sh",
      "-fno-integrated-as|-c a.c -fno-integrated-as --sysroot=sr",
      "-no-integrated-as|-c a.c -no-integrated-as",
      "-B/tmp/evil|-B/tmp/evil -c a.c",
      "-B|-B /tmp/evil -c a.c",
      "--prefix|--prefix=/tmp/evil -c a.c",
      "--prefix|--prefix /tmp/evil -c a.c",
      "-specs|-specs=evil.specs -c a.c",
      "--specs|--specs=evil.specs -c a.c",
      "-specs|-specs evil.specs -c a.c",
      "--specs|--specs evil.specs -c a.c",
      "-fplugin|-fplugin=./evil.so -c a.c",
      "-fplugin-arg-evil-x|-fplugin-arg-evil-x=1 -c a.c",
      "-fpass-plugin|-fpass-plugin=./evil.so -c a.c",
      "-Xclang|-Xclang -load -Xclang ./evil.so -c a.c",
      "-Xclang|-Xclang -plugin -Xclang evil -c a.c",
      "-Xclang|-Xclang -add-plugin -Xclang evil -c a.c",
      "-Xclang|-Xclang=-load -c a.c",
      "-Xclang|-Xclang -fplugin=./evil.so -c a.c",
      "-load|-load ./evil.so -c a.c",
      "-iplugindir|-iplugindir=/tmp -c a.c",
      "--gcc-toolchain|--gcc-toolchain=/tmp/tc -c a.c",
      "-gcc-toolchain|-gcc-toolchain /tmp/tc -c a.c",
      "--gcc-install-dir|--gcc-install-dir=/tmp/tc -c a.c",
      "-ccc-gcc-name|-ccc-gcc-name /tmp/gcc -c a.c",
      "--config|--config=./evil.cfg -c a.c",
      "--config|--config ./evil.cfg -c a.c",
      "-fuse-ld|-fuse-ld=/tmp/ld a.o",
      "--ld-path|--ld-path=/tmp/ld a.o",
      "-Wp,|-Wp,-fplugin=./evil.so -c a.c",
      "-Xpreprocessor|-Xpreprocessor -fplugin=./evil.so -c a.c",
      "-Wl,|-Wl,-plugin,./evil.so a.o",
      "-Xlinker|-Xlinker --plugin=./evil.so a.o",
      "-mllvm|-mllvm -load=./evil.so -c a.c",
      "@flags.rsp|@flags.rsp -c a.c",
      "-Wl,|-Wl,@flags.rsp a.o",
      "--cuda-path|--cuda-path=/tmp/cuda -c a.cu",
      "-mllvm|-mllvm -load-pass-plugin=./evil.so -c a.c",
      "--for-linker|--for-linker=-plugin=./evil.so a.o",
  })
  void flagsThatRunOrLoadAnotherProgramAreRefusedByName(String expectedAndLine) {
    String[] parts = expectedAndLine.split("\\|");
    assertThatThrownBy(() -> CompilerFlagPolicy.check(args(parts[1])))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
        .hasMessageContaining("'" + parts[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-c a.c -o a.o -O2 -g -Wall -Werror -DX=1 -Iinclude -isystem /usr/include/x",
      "-c a.c -no-canonical-prefixes -print-prog-name=cc1",
      "-c a.c --sysroot=/sr -target x86_64-linux-gnu -resource-dir=/r -MD -MF a.d",
      "-c a.c -Wa,--noexecstack -Wl,-z,relro -Wl,-Bsymbolic -Xlinker -Bstatic",
      "-c a.c -Xclang -fcolor-diagnostics -fprofile-use=x.prof -flto -fsanitize=address",
      "-c a.c -std=c++17 -x c++ -fdebug-prefix-map=/a=/b -fmacro-prefix-map=/a=.",
  })
  void ordinaryCompilesPass(String line) {
    assertThatCode(() -> CompilerFlagPolicy.check(args(line))).doesNotThrowAnyException();
  }
}
