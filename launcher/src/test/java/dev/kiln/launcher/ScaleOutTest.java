package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.kiln.broker.EmbeddedKafkaBroker;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.state.KilnHazelcast;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The farm as separate processes on loopback: one broker, two cache members, two front nodes,
 * three workers. Bazel builds through front A while a worker is SIGKILLed mid-action; the
 * rebuild through front B is all cache hits, also after a cache member is SIGKILLed; a broker
 * restarted during a stream of actions loses none of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ScaleOutTest {
  private static RoleProcesses roles;
  private static Path dir;
  private static int brokerPort;
  private static int frontA;
  private static int frontB;
  private static String cluster;
  private static String cacheMembers;
  private static BazelWorkspace ws;
  private static HazelcastInstance observer;

  @BeforeAll
  static void startFarm() throws Exception {
    dir = Files.createTempDirectory("kiln-scaleout");
    roles = new RoleProcesses(dir.resolve("logs"));
    brokerPort = EmbeddedKafkaBroker.freePort();
    int cache1 = EmbeddedKafkaBroker.freePort();
    int cache2 = EmbeddedKafkaBroker.freePort();
    frontA = EmbeddedKafkaBroker.freePort();
    frontB = EmbeddedKafkaBroker.freePort();
    cluster = "kiln-scaleout-" + UUID.randomUUID();
    cacheMembers = "127.0.0.1:" + cache1 + ",127.0.0.1:" + cache2;
    String kafka = "127.0.0.1:" + brokerPort;
    roles.start("broker", "kiln broker ready", "broker", "--port", "" + brokerPort, "--data-dir", dir.resolve("broker").toString());
    roles.start("cache-1", "kiln cache member ready", "cache", "--port", "" + cache1, "--members", cacheMembers, "--cluster", cluster,
        "--data-dir", dir.resolve("cache-1").toString());
    roles.start("cache-2", "kiln cache member ready", "cache", "--port", "" + cache2, "--members", cacheMembers, "--cluster", cluster,
        "--data-dir", dir.resolve("cache-2").toString());
    for (int i = 1; i <= 3; i++) {
      roles.start("worker-" + i, "running 1 slot", "worker", "--id", "worker-" + i, "--slots", "1", "--kafka", kafka,
          "--cache", cacheMembers, "--cluster", cluster, "--data-dir", dir.resolve("workers").toString());
    }
    roles.start("front-a", "listening on", "front", "--id", "front-a", "--port", "" + frontA, "--kafka", kafka, "--cache", cacheMembers, "--cluster", cluster);
    roles.start("front-b", "listening on", "front", "--id", "front-b", "--port", "" + frontB, "--kafka", kafka, "--cache", cacheMembers, "--cluster", cluster);
    awaitHealthy(frontA, "3 worker(s)");
    awaitHealthy(frontB, "3 worker(s)");
    ws = new BazelWorkspace(dir.resolve("bazel"), 20);
    observer = KilnHazelcast.client(cluster, List.of(cacheMembers.split(",")));
  }

  @AfterAll
  static void stopFarm() throws Exception {
    if (ws != null) {
      ws.close();
    }
    if (observer != null) {
      observer.shutdown();
    }
    roles.close();
  }

  static void awaitHealthy(int port, String expect) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String last = "";
    for (int i = 0; i < 300; i++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().contains(expect)) {
          return;
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("front on " + port + " not healthy: " + last);
  }

  @Test
  @Order(1)
  void bazelSurvivesAWorkerKilledMidActionAndTheOtherFrontServesTheCache() throws Exception {
    CompletableFuture<BazelWorkspace.Run> build = CompletableFuture.supplyAsync(() -> {
      try {
        return ws.run("build", BazelWorkspace.remoteFlags(frontA), "//:main");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String victim = awaitExecutingWorker(build);
    roles.kill9(victim);
    BazelWorkspace.Run cold = build.get(15, TimeUnit.MINUTES);
    System.out.println("killed " + victim + " mid-action; cold: " + cold.summary());
    assertThat(cold.exitCode()).as(cold.output()).isZero();
    assertThat(cold.total() - cold.count("remote") - cold.count("internal")).as(cold.summary()).isZero();
    assertThat(cold.count("remote")).isGreaterThanOrEqualTo(22);

    assertThat(ws.run("clean", List.of()).exitCode()).isZero();
    BazelWorkspace.Run warm = ws.run("build", BazelWorkspace.remoteFlags(frontB), "//:main");
    System.out.println("warm via front B: " + warm.summary());
    assertThat(warm.exitCode()).as(warm.output()).isZero();
    assertThat(warm.count("remote cache hit")).as(warm.summary()).isEqualTo(cold.count("remote"));
  }

  /** The id of a worker that is running an action right now (from the operation records). */
  private static String awaitExecutingWorker(CompletableFuture<?> build) throws Exception {
    IMap<String, byte[]> ops = observer.getMap(HazelcastShape.OPERATIONS_MAP);
    while (!build.isDone()) {
      for (byte[] b : ops.values()) {
        OperationRecord r = parse(b);
        if (!r.getDone() && r.getWorker().startsWith("worker-")) {
          return r.getWorker();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the build finished before any worker was seen executing");
  }

  private static OperationRecord parse(byte[] b) {
    try {
      return OperationRecord.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(2)
  void losingACacheMemberLosesNoCachedData() throws Exception {
    roles.kill9("cache-2");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (observer.getCluster().getMembers().size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(observer.getCluster().getMembers()).hasSize(1);
    assertThat(ws.run("clean", List.of()).exitCode()).isZero();
    BazelWorkspace.Run warm = ws.run("build", BazelWorkspace.remoteFlags(frontB), "//:main");
    System.out.println("after losing cache-2: " + warm.summary());
    assertThat(warm.exitCode()).as(warm.output()).isZero();
    assertThat(warm.total() - warm.count("remote cache hit") - warm.count("internal")).as(warm.summary()).isZero();
  }

  @Test
  @Order(3)
  void anyFrontNodeFinishesAnyOperationAndANewWorkerTakesWorkAtOnce() throws Exception {
    try (ReapiClient a = new ReapiClient(frontA); ReapiClient b = new ReapiClient(frontB)) {
      Digest slow = a.action(Directory.getDefaultInstance(), List.of(), false, 0, "/bin/sh", "-c", "sleep 2 # " + UUID.randomUUID());
      var stream = a.execution.execute(build.bazel.remote.execution.v2.ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(slow).build());
      String name = stream.next().getName();
      a.channel.shutdownNow();
      List<com.google.longrunning.Operation> viaB = new ArrayList<>();
      b.execution.withDeadlineAfter(120, TimeUnit.SECONDS)
          .waitExecution(build.bazel.remote.execution.v2.WaitExecutionRequest.newBuilder().setName(name).build()).forEachRemaining(viaB::add);
      assertThat(ReapiClient.response(viaB.get(viaB.size() - 1)).getResult().getExitCode()).isZero();

      long started = System.nanoTime();
      roles.start("worker-4", "running 1 slot", "worker", "--id", "worker-4", "--slots", "1", "--kafka", "127.0.0.1:" + brokerPort,
          "--cache", cacheMembers, "--cluster", cluster, "--data-dir", dir.resolve("workers").toString());
      String ranOn = "";
      while (!ranOn.equals("worker-4") && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(90)) {
        List<CompletableFuture<ExecuteResponse>> wave = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          Digest d = b.action(Directory.getDefaultInstance(), List.of(), false, 0, "/bin/sh", "-c", "sleep 0.3 # " + UUID.randomUUID());
          wave.add(CompletableFuture.supplyAsync(() -> b.execute(d, false)));
        }
        for (CompletableFuture<ExecuteResponse> f : wave) {
          String w = f.get(120, TimeUnit.SECONDS).getResult().getExecutionMetadata().getWorker();
          ranOn = ranOn.equals("worker-4") ? ranOn : w;
        }
      }
      System.out.printf("worker-4 ran its first action %.1f s after it was started%n", (System.nanoTime() - started) / 1e9);
      assertThat(ranOn).isEqualTo("worker-4");
    }
  }

  @Test
  @Order(4)
  void everyAcceptedActionCompletesAcrossABrokerRestart() throws Exception {
    try (ReapiClient a = new ReapiClient(frontA); ReapiClient b = new ReapiClient(frontB)) {
      List<CompletableFuture<ExecuteResponse>> results = new ArrayList<>();
      // The broker is killed after the 9th action and restarted on its own thread while the
      // remaining actions keep arriving; a restart that fails is recorded and fails the test.
      AtomicReference<Throwable> restartError = new AtomicReference<>();
      Thread restart = new Thread(() -> {
        try {
          Thread.sleep(1000);
          roles.start("broker", "kiln broker ready", "broker", "--port", "" + brokerPort, "--data-dir", dir.resolve("broker").toString());
        } catch (Throwable t) {
          restartError.set(t);
        }
      }, "broker-restart");
      for (int i = 0; i < 24; i++) {
        ReapiClient c = i % 2 == 0 ? a : b;
        Digest action = c.action(Directory.getDefaultInstance(), List.of("n.txt"), false, 0, "/bin/sh", "-c",
            "sleep 0.5; echo " + i + " > n.txt # " + UUID.randomUUID());
        results.add(CompletableFuture.supplyAsync(() -> c.execute(action, false)));
        if (i == 8) {
          roles.kill9("broker");
          restart.start();
        }
      }
      restart.join();
      assertThat(restartError.get()).as("restarting the broker").isNull();
      for (int i = 0; i < results.size(); i++) {
        ExecuteResponse r = results.get(i).get(10, TimeUnit.MINUTES);
        assertThat(r.getStatus().getCode()).as("action %d: %s", i, r.getStatus()).isZero();
        assertThat(r.getResult().getExitCode()).isZero();
        assertThat(r.getResult().getOutputFilesList()).hasSize(1);
      }
    }
  }
}
