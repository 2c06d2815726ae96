package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.cxx.CompilerInfo;
import dev.kiln.client.cxx.IncludeProcessor;
import dev.kiln.client.proxy.ProxyServer;
import dev.kiln.client.remote.GomaExec;
import dev.kiln.client.remote.GomaRemoteCompiler;
import dev.kiln.client.remote.HttpGomaExec;
import dev.kiln.client.remote.LocalOutputCache;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `make CC="kiln-cc gcc" -j8` builds lua 5.4 with every compile remote and no fallback; the objects
 * are byte-identical to a local build; the interpreter runs; a clean rebuild is all hits of the
 * proxy's local output cache; diagnostics and exit status come back as gcc's.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KilnCcMakeTest {
  private static final Path WORKLOADS = Path.of("..", "..", "shared", "bench", "workloads.sh").toAbsolutePath().normalize();
  private static final Path KILN_CC = Path.of("..", "bin", "kiln-cc").toAbsolutePath().normalize();

  @Test
  void luaBuildsThroughKilnCc() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedFarm farm = FarmFixture.start(1, 2, Duration.ofSeconds(30))) {
      GomaExec exec = new LocalOutputCache(new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.port()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()), Files.createTempDirectory("kiln-outputs"), 64 << 20, Clock.systemUTC());
      ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler(exec, new IncludeProcessor(), new CompilerInfo.Cache()));
      int port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
      Map<String, String> env = new HashMap<>(Map.of("KILN_PROXY_PORT", Integer.toString(port), "KILN_NO_AUTOSTART", "1",
          "BENCH_DIR", Path.of(System.getProperty("java.io.tmpdir"), "kiln-workloads").toString()));
      Path src = Path.of(Commands.run(env, "bash", WORKLOADS.toString(), "dir", "lua").trim(), "src");

      Commands.run(env, "bash", WORKLOADS.toString(), "clean", "lua");
      Commands.run(env, "bash", WORKLOADS.toString(), "build", "lua", "2");
      Map<String, byte[]> local = objects(src);

      Commands.run(env, "bash", WORKLOADS.toString(), "clean", "lua");
      Commands.run(env, "bash", WORKLOADS.toString(), "build", "lua", "8", KILN_CC.toString());
      Map<String, Long> first = counters(port);
      System.out.println("kiln-cc lua build: " + first);
      assertThat(first.get("remote")).isEqualTo(local.size());
      assertThat(first.get("local_fallback")).isZero();
      assertThat(first.get("failed")).isZero();
      Map<String, byte[]> remote = objects(src);
      assertThat(remote.keySet()).isEqualTo(local.keySet());
      remote.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(local.get(name)));
      assertThat(Commands.run(env, src.resolve("lua").toString(), "-v")).startsWith("Lua 5.4");
      assertThat(Commands.run(env, src.resolve("lua").toString(), "-e", "print(6*7)").trim()).isEqualTo("42");

      Commands.run(env, "bash", WORKLOADS.toString(), "clean", "lua");
      Commands.run(env, "bash", WORKLOADS.toString(), "build", "lua", "8", KILN_CC.toString());
      Map<String, Long> second = counters(port);
      System.out.println("kiln-cc lua rebuild: " + second);
      assertThat(second.get("cache_hit") - first.get("cache_hit")).isEqualTo(local.size());
      // Nothing changed: every hit came from this machine's output cache, without a farm round trip.
      assertThat(second.get("local_output_cache_hit") - first.get("local_output_cache_hit")).isEqualTo(local.size());
      assertThat(objects(src)).allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(local.get(name)));
      assertThat(second.get("local_fallback")).isZero();
      String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).contains("cache hit").contains("lvm.c");

      // A remote compile's diagnostics and exit status reach the build tool as a local gcc's would.
      Path dir = Files.createTempDirectory("kiln-cc-diag");
      Files.writeString(dir.resolve("warn.c"), "int f(void) { int unused; return 1; }\n");
      Files.writeString(dir.resolve("bad.c"), "int g(void) { return }\n");
      Result warn = runIn(dir, env, KILN_CC.toString(), "gcc", "-Wall", "-c", "warn.c", "-o", "warn.o");
      assertThat(warn.exit()).isZero();
      assertThat(warn.stderr()).contains("warn.c").contains("unused variable");
      assertThat(warn.stdout()).isEmpty();
      assertThat(dir.resolve("warn.o")).exists();
      Result bad = runIn(dir, env, KILN_CC.toString(), "gcc", "-c", "bad.c", "-o", "bad.o");
      // Workers compile in the C locale (ASCII quotes in messages), whatever the client's locale is.
      Map<String, String> cLocale = new HashMap<>(env);
      cLocale.put("LC_ALL", "C");
      Result badLocal = runIn(dir, cLocale, "gcc", "-c", "bad.c", "-o", "bad.o");
      assertThat(bad.exit()).isEqualTo(badLocal.exit()).isNotZero();
      assertThat(bad.stderr()).isEqualTo(badLocal.stderr()).contains("error:");
      assertThat(dir.resolve("bad.o")).doesNotExist();
      assertThat(counters(port).get("local_fallback")).isZero();
      proxy.close().toCompletionStage().toCompletableFuture().join();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  private static Result runIn(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(dir.resolve("stderr.txt")));
  }

  private static Map<String, byte[]> objects(Path dir) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".o")).toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static Map<String, Long> counters(int port) throws Exception {
    String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/statz?format=json")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Long> m = new HashMap<>();
    for (String kv : json.replaceAll("[{}\"\\s]", "").split(",")) {
      String[] p = kv.split(":");
      m.put(p[0], Long.parseLong(p[1]));
    }
    return m;
  }

}
