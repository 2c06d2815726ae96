package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Newcomers' mistakes end in one line with the fix, before anything slow starts. */
class PreflightTest {
  @Test
  void upOnAPortInUseSaysSoInOneLineBeforeStartingAnything() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      var cli = KilnCli.commandLine();
      StringWriter err = new StringWriter();
      cli.setErr(new PrintWriter(err));
      int code = cli.execute("up", "--port", Integer.toString(busy.getLocalPort()), "--data-dir",
          Files.createTempDirectory("kiln-preflight").toString());
      assertThat(code).isEqualTo(2);
      assertThat(err.toString().trim()).isEqualTo("kiln: port " + busy.getLocalPort()
          + " on 127.0.0.1 is already in use (another kiln, or another server): stop it, or choose --port N");
      assertThat(err.toString().lines()).hasSize(1);
    }
  }

  @Test
  void aFreePortPasses() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int free = port;
    assertThatCode(() -> Preflight.portFree("127.0.0.1", free, "--port")).doesNotThrowAnyException();
  }
}
