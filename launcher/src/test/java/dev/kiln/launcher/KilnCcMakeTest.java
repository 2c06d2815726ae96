package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.compiler.CompilerTypes;
import dev.kiln.client.remote.FileHashes;
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
 * `make CC="kiln-cc gcc" -j8` builds lua 5.4 and git (with -g), and CMake with kiln-cc as compiler
 * launcher builds ninja (C++), with every compile remote and no fallback; objects (and depfiles,
 * in the same tree) are byte-identical to a local build; the programs run (git passes a few of its
 * own tests); a clean rebuild is all hits of the proxy's local output cache; diagnostics and exit
 * status come back as gcc's.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KilnCcMakeTest {
  private static final Path WORKLOADS = Path.of("..", "bench", "workloads.sh").toAbsolutePath().normalize();
  private static final Path KILN_CC = Path.of("..", "bin", "kiln-cc").toAbsolutePath().normalize();

  /** A farm, a proxy in front of it with its output cache, and the environment that points kiln-cc at it. */
  private record Setup(Vertx vertx, EmbeddedFarm farm, ProxyServer proxy, int port, Map<String, String> env) implements AutoCloseable {
    static Setup start() throws Exception {
      Vertx vertx = Vertx.vertx();
      EmbeddedFarm farm = FarmFixture.start(1, 2, Duration.ofSeconds(30));
      GomaExec exec = new LocalOutputCache(new HttpGomaExec(URI.create("http://127.0.0.1:" + farm.port()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()), Files.createTempDirectory("kiln-outputs"), 256 << 20, Clock.systemUTC());
      ProxyServer proxy = new ProxyServer(vertx, new GomaRemoteCompiler(exec, CompilerTypes.builtIn(), new FileHashes(Clock.systemUTC())), Clock.systemUTC(), () -> { });
      int port = proxy.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
      Map<String, String> env = new HashMap<>(Map.of("KILN_PROXY_PORT", Integer.toString(port), "KILN_NO_AUTOSTART", "1",
          "BENCH_DIR", Path.of(System.getProperty("java.io.tmpdir"), "kiln-workloads").toString()));
      return new Setup(vertx, farm, proxy, port, env);
    }

    String workloads(String... args) throws Exception {
      List<String> cmd = new java.util.ArrayList<>(List.of("bash", WORKLOADS.toString()));
      cmd.addAll(List.of(args));
      return Commands.run(env, cmd.toArray(String[]::new));
    }

    @Override
    public void close() {
      proxy.close().toCompletionStage().toCompletableFuture().join();
      farm.close();
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  /**
   * Builds {@code name} locally, then through kiln-cc (all remote, byte-identical objects and
   * depfiles), then again after a clean (all hits from the output cache); returns the counters
   * after the remote build.
   */
  private static Map<String, Long> buildRemoteThenRebuild(Setup s, String name, Path tree) throws Exception {
    return buildRemoteThenRebuild(s, name, tree, tree, true);
  }

  /**
   * As above, for workloads whose kiln-cc build has its own build directory (CMake): objects are
   * compared between {@code localTree} and {@code remoteTree}, depfiles only when {@code sameTree}.
   */
  private static Map<String, Long> buildRemoteThenRebuild(Setup s, String name, Path localTree, Path remoteTree, boolean sameTree) throws Exception {
    s.workloads("clean", name);
    s.workloads("build", name, "2");
    Map<String, byte[]> local = files(localTree, ".o");
    Map<String, byte[]> localDeps = files(localTree, ".o.d");

    s.workloads("clean", name, KILN_CC.toString());
    s.workloads("build", name, "8", KILN_CC.toString());
    Map<String, Long> first = counters(s.port());
    System.out.println("kiln-cc " + name + " build: " + first);
    assertThat(first.get("remote")).isEqualTo(local.size());
    assertThat(first.get("local_fallback")).isZero();
    assertThat(first.get("failed")).isZero();
    assertSameFiles(files(remoteTree, ".o"), local);
    if (sameTree) {
      assertSameFiles(files(remoteTree, ".o.d"), localDeps);
    }

    s.workloads("clean", name, KILN_CC.toString());
    s.workloads("build", name, "8", KILN_CC.toString());
    Map<String, Long> second = counters(s.port());
    System.out.println("kiln-cc " + name + " rebuild: " + second);
    assertThat(second.get("cache_hit") - first.get("cache_hit")).isEqualTo(local.size());
    // Nothing changed: every hit came from this machine's output cache, without a farm round trip.
    assertThat(second.get("local_output_cache_hit") - first.get("local_output_cache_hit")).isEqualTo(local.size());
    assertThat(second.get("local_fallback")).isZero();
    assertSameFiles(files(remoteTree, ".o"), local);
    return first;
  }

  private static void assertSameFiles(Map<String, byte[]> actual, Map<String, byte[]> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(expected.get(name)));
  }

  @Test
  void gitBuildsThroughKilnCcWithDebugInfoIdenticalToALocalBuild() throws Exception {
    try (Setup s = Setup.start()) {
      Path tree = Path.of(s.workloads("dir", "git").trim());
      Map<String, Long> first = buildRemoteThenRebuild(s, "git", tree);
      assertThat(first.get("remote")).isGreaterThan(400);
      assertThat(Commands.run(s.env(), tree.resolve("git").toString(), "--version")).startsWith("git version 2.39");
      for (String t : List.of("t0000-basic.sh", "t3000-ls-files-others.sh", "t4000-diff-format.sh")) {
        assertThat(Commands.run(s.env(), "sh", "-c", "cd '" + tree.resolve("t") + "' && sh " + t)).as(t).contains("# passed all");
      }
    }
  }

  @Test
  void ninjaBuildsThroughKilnCcAsCMakesCompilerLauncher() throws Exception {
    try (Setup s = Setup.start()) {
      Path tree = Path.of(s.workloads("dir", "ninja").trim());
      Path remote = tree.resolve("build-o2-kiln-cc");
      buildRemoteThenRebuild(s, "ninja", tree.resolve("build-o2-none"), remote, false);
      assertThat(Commands.run(s.env(), remote.resolve("ninja").toString(), "--version").trim()).isEqualTo("1.11.1");
    }
  }

  @Test
  void luaBuildsThroughKilnCc() throws Exception {
    try (Setup s = Setup.start()) {
      Map<String, String> env = s.env();
      int port = s.port();
      Path src = Path.of(s.workloads("dir", "lua").trim(), "src");
      buildRemoteThenRebuild(s, "lua", src);
      assertThat(Commands.run(env, src.resolve("lua").toString(), "-v")).startsWith("Lua 5.4");
      assertThat(Commands.run(env, src.resolve("lua").toString(), "-e", "print(6*7)").trim()).isEqualTo("42");
      String page = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
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

  /**
   * Every file below {@code dir} whose name ends in {@code suffix}, by relative path; CMake's
   * configure-time probes (compiled once, locally, when the build directory is configured) aside.
   */
  private static Map<String, byte[]> files(Path dir, String suffix) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(suffix) && Files.isRegularFile(p) && !p.toString().contains("/CMakeFiles/_CMake")).toList()) {
        out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
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
