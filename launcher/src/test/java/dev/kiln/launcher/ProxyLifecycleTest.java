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
 * `bin/kiln proxy start|stop|status` manage the proxy in the background, and a kiln-cc that finds
 * no proxy compiles locally and starts one for the next compiles. The proxy publishes its per-user
 * secret under $XDG_RUNTIME_DIR/kiln (0600); kiln-cc (native and bash) and `proxy stop` send it, a
 * caller without it cannot stop the proxy.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProxyLifecycleTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  @TempDir
  Path dir;

  private record Run(int exit, String out) {}

  private Run run(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("TMPDIR", dir.toString());
    pb.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("run")).toString());
    pb.environment().remove("KILN_NO_AUTOSTART");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void startStatusStopAndAutostartFromKilnCc() throws Exception {
    String kiln = ROOT.resolve("bin/kiln").toString();
    String port = Integer.toString(freePort());
    String[] opts = {"--port", port, "--server", "127.0.0.1:1", "--output-cache-mb", "0"};

    assertThat(run(kiln, "proxy", "status", "--port", port).exit()).isEqualTo(3);
    Run start = run(concat(new String[] {kiln, "proxy", "start"}, opts));
    assertThat(start.exit()).as(start.out()).isZero();
    assertThat(start.out()).contains("started");
    assertThat(run(concat(new String[] {kiln, "proxy", "start"}, opts)).out()).contains("already running");
    Run status = run(kiln, "proxy", "status", "--port", port);
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("running").contains("local_fallback: 0");
    Path secret = dir.resolve("run/kiln/proxy-" + port + ".secret");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");

    // Without the secret, /quitquitquit is refused and the proxy keeps running.
    Run stranger = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "http://127.0.0.1:" + port + "/quitquitquit");
    assertThat(stranger.out()).isEqualTo("403");
    assertThat(run(kiln, "proxy", "status", "--port", port).exit()).isZero();

    // The farm (127.0.0.1:1) is down: the compile still succeeds, locally, and the fallback is counted.
    Files.writeString(dir.resolve("a.c"), "int a(void) { return 1; }\n");
    Run cc = run("env", "KILN_PROXY_PORT=" + port, ROOT.resolve("bin/kiln-cc").toString(), "gcc", "-c", "a.c", "-o", "a.o");
    assertThat(cc.exit()).as(cc.out()).isZero();
    assertThat(dir.resolve("a.o")).exists();
    assertThat(run(kiln, "proxy", "status", "--port", port).out()).as("the native front sent the secret").contains("local_fallback: 1");
    Files.delete(dir.resolve("a.o"));
    cc = run("env", "KILN_PROXY_PORT=" + port, "KILN_CC_NO_NATIVE=1", ROOT.resolve("bin/kiln-cc").toString(), "gcc", "-c", "a.c", "-o", "a.o");
    assertThat(cc.exit()).as(cc.out()).isZero();
    assertThat(dir.resolve("a.o")).exists();
    assertThat(run(kiln, "proxy", "status", "--port", port).out()).as("the bash path sent the secret").contains("local_fallback: 2")
        .contains("refused_caller: 1");

    Run stop = run(kiln, "proxy", "stop", "--port", port);
    assertThat(stop.exit()).as(stop.out()).isZero();
    assertThat(run(kiln, "proxy", "status", "--port", port).exit()).isEqualTo(3);
    assertThat(secret).as("removed when the proxy stops").doesNotExist();

    // No proxy at all: kiln-cc compiles locally at once and starts the proxy for the next compiles.
    Files.delete(dir.resolve("a.o"));
    cc = run("env", "KILN_PROXY_PORT=" + port, ROOT.resolve("bin/kiln-cc").toString(), "gcc", "-c", "a.c", "-o", "a.o");
    assertThat(cc.exit()).as(cc.out()).isZero();
    assertThat(dir.resolve("a.o")).exists();
    boolean up = false;
    for (int i = 0; i < 300 && !up; i++) {
      up = run(kiln, "proxy", "status", "--port", port).exit() == 0;
      if (!up) {
        Thread.sleep(200);
      }
    }
    assertThat(up).as("the proxy kiln-cc started").isTrue();
    assertThat(run(kiln, "proxy", "stop", "--port", port).exit()).isZero();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
