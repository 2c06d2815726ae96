package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/kiln install-client DIR` puts the native kiln-cc on a PATH: no shell per compile, and it
 * still starts this checkout's proxy when none runs (the launcher's path is built in).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InstallClientTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir
  Path dir;

  private String run(int expectedExit, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("TMPDIR", dir.toString());
    pb.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("run")).toString());
    pb.environment().remove("KILN_NO_AUTOSTART");
    pb.environment().remove("KILN_PROXY_START");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isEqualTo(expectedExit);
    return out;
  }

  @Test
  void theInstalledNativeClientCompilesAndStartsTheProxyWhenNoneRuns() throws Exception {
    String kiln = ROOT.resolve("bin/kiln").toString();
    Path bin = dir.resolve("bin");
    assertThat(run(0, kiln, "install-client", bin.toString())).contains("installed " + bin.resolve("kiln-cc"));
    Path kilnCc = bin.resolve("kiln-cc");
    assertThat(Files.isExecutable(kilnCc)).isTrue();
    assertThat(new String(Files.readAllBytes(kilnCc), StandardCharsets.ISO_8859_1)).as("a native program, not a script").startsWith("\u007fELF");

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("a.c"), "int a(void) { return 1; }\n");
    run(0, "env", "KILN_PROXY_PORT=" + port, kilnCc.toString(), "gcc", "-c", "a.c", "-o", "a.o");
    assertThat(dir.resolve("a.o")).exists();
    try {
      String status = "";
      for (int i = 0; i < 600 && !status.contains(": running"); i++) {
        Thread.sleep(200);
        ProcessBuilder pb = new ProcessBuilder(kiln, "proxy", "status", "--port", Integer.toString(port)).redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        Process p = pb.start();
        status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(status).as("kiln-cc started this checkout's proxy").contains(": running");
    } finally {
      run(0, kiln, "proxy", "stop", "--port", Integer.toString(port));
    }
  }
}
