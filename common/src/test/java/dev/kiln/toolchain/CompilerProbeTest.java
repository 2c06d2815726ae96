package dev.kiln.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Hashing;
import dev.kiln.proto.events.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes the real gcc of this machine. */
class CompilerProbeTest {
  @Test
  void findsGccWithGomaStyleVersionTargetAndBinaryHash() throws Exception {
    List<Toolchain> found = CompilerProbe.probe(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    Toolchain gcc = found.stream().filter(t -> t.getName().equals("gcc")).findFirst().orElseThrow();
    assertThat(gcc.getVersion()).matches("\\d+(\\.\\d+)*\\[\\(.*\\) .*\\]");
    assertThat(gcc.getTarget()).contains("linux");
    Path real = Path.of(gcc.getPath()).toRealPath();
    assertThat(gcc.getBinarySha256()).isEqualTo(Hashing.sha256Hex(Files.readAllBytes(real)));
    assertThat(gcc.getSize()).isEqualTo(Files.size(real));
    assertThat(gcc.getSystemDigest()).matches("[0-9a-f]{64}");
    assertThat(CompilerProbe.identity(gcc)).isEqualTo(gcc.getBinarySha256() + "." + gcc.getSystemDigest());
  }

  @Test
  void versionStripsOnlyTheProgramName() {
    assertThat(CompilerProbe.gomaVersion("gcc", "12", "gcc (Debian 12.2.0-14+deb12u1) 12.2.0")).isEqualTo("12[(Debian 12.2.0-14+deb12u1) 12.2.0]");
    assertThat(CompilerProbe.gomaVersion("clang", "14.0.6", "Debian clang version 14.0.6")).isEqualTo("14.0.6[Debian clang version 14.0.6]");
  }
}
