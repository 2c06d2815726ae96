package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.proxy.ProxySecret;
import dev.kiln.client.proxy.ProxyServer;
import dev.kiln.client.remote.FarmCredentials;
import dev.kiln.client.remote.FileHashes;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.HttpGomaExec;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiln-cc's proxy against a real farm that wants a token (tokenless clients get cache-only access,
 * as AuthTest's farm): with the token the compile is remote; without it, or with a wrong one, it is
 * a local fallback counted as auth_refused, with the reason and the fix in /statz, the dashboard
 * and the wrapper's answer, logged once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProxyAuthTest {
  private static final String TOKEN = "kiln-proxy-token-" + UUID.randomUUID();
  private static EmbeddedFarm farm;
  private static Path tokenFile;

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    Path tokens = Files.writeString(Files.createTempFile("kiln-tokens", ""), TOKEN + " alice\n");
    tokenFile = Files.writeString(Files.createTempFile("kiln-token", ""), TOKEN + "\n");
    farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, 1, 1, Files.createTempDirectory("kiln-proxy-auth"), false,
        "kiln-proxy-auth-" + UUID.randomUUID(), Duration.ofSeconds(30), false, Authenticator.fromFile(tokens, Set.of(), Access.CACHE_ONLY), false));
  }

  @AfterAll
  static void stop() {
    farm.close();
  }

  @AfterEach
  void closeVertx() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private record Proxy(ProxyServer server, int port, String secret) {}

  private Proxy proxy(FarmCredentials credentials) throws Exception {
    ProxyServer server = new ProxyServer(vertx, new GomaRemoteCompiler(new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.port()), http,
        Duration.ofSeconds(60), credentials), CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC())), Clock.systemUTC(), () -> { },
        ProxySecret.random(dir.resolve("run")));
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
    return new Proxy(server, port, Files.readString(dir.resolve("run/proxy-" + port + ".secret")).strip());
  }

  /** A compile no farm has a cached result for (a cache hit is open to tokenless clients). */
  private HttpResponse<String> compile(Proxy p, String name) throws Exception {
    Files.writeString(dir.resolve(name + ".c"), "int " + name + "_" + UUID.randomUUID().toString().replace("-", "") + "(void) { return 7; }\n");
    String body = dir + "\0gcc\0-c\0" + name + ".c\0-o\0" + name + ".o\0";
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/compile")).header("X-Kiln-Secret", p.secret())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(Proxy p, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void withTheTokenFromKilnAuthTokenFileTheCompileIsRemote() throws Exception {
    Proxy p = proxy(FarmCredentials.resolve(null, Map.of("KILN_AUTH_TOKEN_FILE", tokenFile.toString())));
    HttpResponse<String> r = compile(p, "with_token");
    assertThat(r.headers().firstValue("x-kiln-run")).as(r.headers().firstValue("x-kiln-reason").orElse("")).hasValue("remote");
    assertThat(r.headers().firstValue("x-kiln-exit")).hasValue("0");
    assertThat(dir.resolve("with_token.o")).exists();
    assertThat(get(p, "/statz?format=json")).contains("\"remote\":1").contains("\"auth_refused\":0").contains("\"local_fallback\":0");
  }

  @Test
  void withoutATokenItIsACountedFallbackWithTheReasonLoggedOnce() throws Exception {
    Proxy p = proxy(FarmCredentials.none());
    HttpResponse<String> first = compile(p, "no_token");
    HttpResponse<String> second = compile(p, "no_token_again");
    for (HttpResponse<String> r : java.util.List.of(first, second)) {
      assertThat(r.headers().firstValue("x-kiln-run")).hasValue("local");
      assertThat(r.headers().firstValue("x-kiln-reason").orElseThrow())
          .startsWith("farm refused the credentials (cache-only access, no cached result): set KILN_AUTH_TOKEN_FILE").endsWith("it sent no token");
    }
    assertThat(dir.resolve("no_token.o")).as("nothing remote was written").doesNotExist();
    assertThat(get(p, "/statz?format=json")).contains("\"local_fallback\":2").contains("\"auth_refused\":2").contains("\"remote\":0")
        .contains("\"auth_refused_reason\":\"farm refused the credentials");
    assertThat(get(p, "/statz")).contains("auth_refused_reason: farm refused the credentials (cache-only access");
    assertThat(get(p, "/")).contains("id=\"auth\"").contains("set KILN_AUTH_TOKEN_FILE");
    String logz = get(p, "/logz");
    assertThat(logz.split("farm refused the credentials", -1)).as("logged once").hasSize(2);
  }

  @Test
  void aWrongTokenIsA401FallbackThatSaysWhichTokenWasSent() throws Exception {
    Proxy p = proxy(FarmCredentials.resolve(null, Map.of("KILN_AUTH_TOKEN", "not-the-token")));
    HttpResponse<String> r = compile(p, "wrong_token");
    assertThat(r.headers().firstValue("x-kiln-run")).hasValue("local");
    assertThat(r.headers().firstValue("x-kiln-reason").orElseThrow()).startsWith("farm refused the credentials (401)")
        .endsWith("it sent the token from KILN_AUTH_TOKEN").doesNotContain("not-the-token");
    assertThat(get(p, "/statz?format=json")).contains("\"auth_refused\":1").contains("\"local_fallback\":1");
  }
}
