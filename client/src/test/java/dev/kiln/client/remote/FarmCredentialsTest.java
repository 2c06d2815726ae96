package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.proto.goma.ExecReq;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the farm token comes from (flag, then KILN_AUTH_TOKEN, KILN_AUTH_TOKEN_FILE, GOMA_HTTP_AUTHORIZATION_FILE) and what is sent. */
class FarmCredentialsTest {
  @TempDir
  Path dir;

  @Test
  void precedenceIsFlagThenTokenThenTokenFileThenGomaFile() throws Exception {
    Path flag = Files.writeString(dir.resolve("flag"), "from-flag\n");
    Path file = Files.writeString(dir.resolve("file"), "  from-file \n");
    Path goma = Files.writeString(dir.resolve("goma"), "Bearer goma-verbatim\n");
    Map<String, String> all = Map.of("KILN_AUTH_TOKEN", "from-env", "KILN_AUTH_TOKEN_FILE", file.toString(),
        "GOMA_HTTP_AUTHORIZATION_FILE", goma.toString());

    assertThat(FarmCredentials.resolve(flag, all).authorization()).isEqualTo("Bearer from-flag");
    assertThat(FarmCredentials.resolve(null, all).authorization()).isEqualTo("Bearer from-env");
    assertThat(FarmCredentials.resolve(null, Map.of("KILN_AUTH_TOKEN_FILE", file.toString(), "GOMA_HTTP_AUTHORIZATION_FILE", goma.toString()))
        .authorization()).isEqualTo("Bearer from-file");
    assertThat(FarmCredentials.resolve(null, Map.of("GOMA_HTTP_AUTHORIZATION_FILE", goma.toString())).authorization())
        .as("Goma's file is the whole header value").isEqualTo("Bearer goma-verbatim");
    assertThat(FarmCredentials.resolve(null, Map.of()).authorization()).isNull();
    assertThat(FarmCredentials.resolve(null, Map.of("KILN_AUTH_TOKEN", "secret-token")).describe()).isEqualTo("the token from KILN_AUTH_TOKEN")
        .doesNotContain("secret-token");
  }

  @Test
  void aRotatedTokenFileIsReadAgainAndAnUnreadableOrMultiLineOneIsAnAuthError() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "one\n");
    FarmCredentials c = FarmCredentials.resolve(file, Map.of());
    assertThat(c.authorization()).isEqualTo("Bearer one");
    Files.writeString(file, "two\n");
    assertThat(c.authorization()).isEqualTo("Bearer two");
    Files.writeString(file, "two\nX-Injected: yes\n");
    assertThatThrownBy(c::authorization).isInstanceOf(FarmAuthException.class).hasMessageContaining("not one line");
    Files.delete(file);
    assertThatThrownBy(c::authorization).isInstanceOf(FarmAuthException.class).hasMessageContaining("cannot read the token file " + file);
  }

  @Test
  void theHeaderIsSentAndA401IsAnAuthErrorSayingHowToFixIt() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer farm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    farm.createContext("/", exchange -> {
      seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    farm.start();
    try {
      HttpGomaExec exec = new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.getAddress().getPort()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(10),
          FarmCredentials.resolve(null, Map.of("KILN_AUTH_TOKEN", "t0k")));
      ExecReq req = ExecReq.newBuilder().buildPartial();
      assertThatThrownBy(() -> exec.exec(req, req)).isInstanceOf(FarmAuthException.class)
          .hasMessageStartingWith("farm refused the credentials (401): set KILN_AUTH_TOKEN_FILE")
          .hasMessageEndingWith("it sent the token from KILN_AUTH_TOKEN");
      assertThat(seen).containsExactly("Bearer t0k");
    } finally {
      farm.stop(0);
    }
  }
}
