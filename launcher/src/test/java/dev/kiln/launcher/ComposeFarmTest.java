package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped docker-compose.yml, run as a user runs it (the compose CLI on a real Docker engine,
 * the image built from this repository; .ci/run starts the engine and builds the image): both
 * front nodes become ready; a gcc compile runs in a worker container's sandbox through front-a and
 * is a cache hit through front-b; a second worker joins with --scale and takes work; a worker
 * whose JVM is killed comes back by itself (restart: always), one stopped with `docker kill` with
 * `up -d`, and actions still run; after `down` and `up` the broker and cache volumes are reused: the
 * farm is ready again and the compile is still cached. Skipped without an engine, except in CI.
 */
class ComposeFarmTest {
  private static final String PROJECT = "kilntest" + UUID.randomUUID().toString().substring(0, 8);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ComposeCli cli;

  @AfterAll
  static void down() throws Exception {
    if (cli != null) {
      cli.compose(300, "down", "-v", "--remove-orphans", "-t", "5");
    }
  }

  @Test
  void theComposeFarmRunsBuildsScalesAndSurvivesAKilledWorker() throws Exception {
    boolean engine = ComposeCli.engineAnswers();
    assumeTrue(engine || "true".equals(System.getenv("CI")), "no Docker engine answers (docker/engine.sh starts one)");
    assertThat(engine).as("CI runs this test on a real engine: .ci/run starts it with docker/engine.sh").isTrue();
    int portA = freePort();
    int portB = freePort();
    cli = new ComposeCli(PROJECT, Map.of("KILN_FRONT_A_PORT", Integer.toString(portA), "KILN_FRONT_B_PORT", Integer.toString(portB),
        "KILN_WORKER_SLOTS", "2", "KILN_CACHE_HEAP", "512m"));
    long t0 = System.nanoTime();
    cli.compose(1800, "build", "image");
    long built = System.nanoTime();
    cli.compose(600, "up", "-d", "--scale", "worker=1");
    awaitReady(portA);
    awaitReady(portB);
    System.out.printf("compose farm: image build (cached in CI) %d s, up to both fronts ready %d s%n",
        (built - t0) / 1_000_000_000, (System.nanoTime() - built) / 1_000_000_000);

    byte[] source = utf8("int answer(int x) { return x * 6 + 0 * " + System.nanoTime() % 1000 + "; }\n");
    Digest compile;
    try (ReapiClient a = new ReapiClient(portA); ReapiClient b = new ReapiClient(portB)) {
      compile = gccAction(a, source);
      ExecuteResponse first = a.execute(compile, false);
      assertThat(first.getStatus().getCode()).as(first.toString()).isZero();
      assertThat(first.getResult().getExitCode()).as(first.toString()).isZero();
      assertThat(first.getResult().getOutputFilesList()).extracting(f -> f.getPath()).containsExactly("hello.o");
      assertThat(first.getResult().getOutputFiles(0).getDigest().getSizeBytes()).isPositive();
      assertThat(first.getCachedResult()).isFalse();
      ExecuteResponse again = b.execute(compile, false);
      assertThat(again.getCachedResult()).as("the same compile through front-b is a cache hit").isTrue();
      assertThat(again.getResult().getOutputFilesList()).isEqualTo(first.getResult().getOutputFilesList());
      assertSandboxedInTheContainer(a);
    }

    cli.compose(600, "up", "-d", "--no-recreate", "--scale", "worker=2");
    awaitBody(portA, "/healthz", "ok: 2 worker(s)");
    try (ReapiClient b = new ReapiClient(portB)) {
      assertThat(workersRunning(b, 8)).as("both worker containers take work").hasSize(2);
    }

    List<String> workers = cli.compose(60, "ps", "-q", "worker").lines().toList();
    assertThat(workers).hasSize(2);
    // A crash (the worker's JVM killed inside its container): restart: always brings it back.
    ComposeCli.docker("exec", workers.get(0), "sh", "-c", "kill -9 -1");
    awaitRestarted(workers.get(0));
    // `docker kill` is a manual stop to Docker (no restart policy undoes it): `up -d` restarts it.
    ComposeCli.docker("kill", workers.get(1));
    cli.compose(600, "up", "-d", "--no-recreate", "--scale", "worker=2");
    assertThat(ComposeCli.docker("inspect", "-f", "{{.State.Running}}", workers.get(1)).trim()).isEqualTo("true");
    awaitBody(portA, "/healthz", "ok:");
    try (ReapiClient a = new ReapiClient(portA)) {
      ExecuteResponse after = a.execute(a.action("/bin/sh", "-c", "echo after-kill-" + UUID.randomUUID()), true);
      assertThat(after.getResult().getExitCode()).as(after.toString()).isZero();
    }

    cli.compose(300, "down", "-t", "40");
    cli.compose(600, "up", "-d", "--scale", "worker=1");
    awaitReady(portA);
    try (ReapiClient a = new ReapiClient(portA)) {
      // The cache members' disk tiers are in named volumes, which `down` keeps.
      assertThat(cachedAfterRestart(a, compile)).as("the compile's result survives down/up").isTrue();
      ExecuteResponse afterUp = a.execute(compile, false);
      assertThat(afterUp.getCachedResult()).as(afterUp.toString()).isTrue();
    }
  }

  /**
   * What an action sees inside the worker container is the sandbox of docs/security.md: an
   * unprivileged uid without capabilities, its own processes only (not the worker's JVM), no
   * network but loopback, and not the worker's proc mount for bubblewrap (/run/kiln).
   */
  private static void assertSandboxedInTheContainer(ReapiClient c) {
    Digest probe = c.action(Directory.getDefaultInstance(), List.of("report"), true, 60, "/bin/sh", "-c",
        "{ id -u; grep CapEff /proc/self/status; cat /proc/[0-9]*/comm | sort -u | tr '\\n' ' '; echo;"
            + " tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' '; echo;"
            + " test -e /run/kiln && echo run-kiln-visible || echo no-run-kiln; } > report");
    ExecuteResponse r = c.execute(probe, true);
    assertThat(r.getResult().getExitCode()).as(r.toString()).isZero();
    Digest report = r.getResult().getOutputFiles(0).getDigest();
    String text = c.cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().setInstanceName("main").addDigests(report).build())
        .getResponses(0).getData().toStringUtf8();
    List<String> lines = text.lines().toList();
    assertThat(lines).as(text).hasSize(5);
    assertThat(lines.get(0)).as(text).isEqualTo("61000");
    assertThat(lines.get(1)).as(text).matches("CapEff:\\s+0+");
    assertThat(lines.get(2)).as(text).doesNotContain("java").doesNotContain("tini");
    assertThat(lines.get(3).trim()).as(text).isEqualTo("lo");
    assertThat(lines.get(4)).as(text).isEqualTo("no-run-kiln");
  }

  private static boolean cachedAfterRestart(ReapiClient c, Digest action) {
    try {
      c.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(action).build());
      return true;
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      return false;
    }
  }

  /** gcc -c of a small C file ({@code source}, uploaded as an input); output hello.o. */
  private static Digest gccAction(ReapiClient c, byte[] source) {
    c.upload(source);
    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("hello.c").setDigest(digest(source))).build();
    return c.action(root, List.of("hello.o"), false, 60, "/usr/bin/gcc", "-O2", "-c", "hello.c", "-o", "hello.o");
  }

  /** Runs {@code n} one-second actions at once; the workers that ran them. */
  private static Set<String> workersRunning(ReapiClient c, int n) {
    List<CompletableFuture<ExecuteResponse>> runs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Digest d = c.action("/bin/sh", "-c", "sleep 1; echo " + UUID.randomUUID());
      runs.add(CompletableFuture.supplyAsync(() -> c.execute(d, true)));
    }
    Set<String> workers = new HashSet<>();
    for (CompletableFuture<ExecuteResponse> r : runs) {
      ExecuteResponse resp = r.join();
      assertThat(resp.getResult().getExitCode()).as(resp.toString()).isZero();
      workers.add(resp.getResult().getExecutionMetadata().getWorker());
    }
    return workers;
  }

  private static void awaitReady(int port) throws Exception {
    awaitBody(port, "/readyz", "");
  }

  /** Waits (up to 5 minutes) for a 200 on {@code path} whose body contains {@code expected}. */
  private static void awaitBody(int port, String path, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().contains(expected)) {
          return;
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("127.0.0.1:" + port + path + " not ready with '" + expected + "': " + last + "\n"
        + cli.compose(60, "ps") + cli.compose(60, "logs", "--tail", "40"));
  }

  /** Waits for a killed container to run again under its restart policy. */
  private static void awaitRestarted(String container) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = ComposeCli.docker("inspect", "-f", "{{.State.Running}} {{.RestartCount}}", container).trim();
      if (state.startsWith("true") && !state.endsWith(" 0")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("killed worker " + container + " did not come back: " + state);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
