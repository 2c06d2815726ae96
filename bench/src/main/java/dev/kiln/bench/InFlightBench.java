package dev.kiln.bench;

import build.bazel.remote.execution.v2.Digest;
import com.google.longrunning.Operation;
import dev.kiln.launcher.EmbeddedFarm;
import dev.kiln.worker.exec.SimulatedActionExecutor;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many actions in flight through one front node, on one machine (SIMULATED workers: they run no
 * process, they sleep; see SimulatedActionExecutor). For each level N, N distinct actions of
 * {@code sleep S} are sent at once to a farm with N simulated slots; the bench checks that every
 * operation completes exactly once (N completions, N executions, no duplicate or missing name),
 * and reports the admission rate (actions accepted per second from the first send to the last
 * first Operation), the overhead per action (makespan - S, over N), and CPU-ms per action by role
 * (threads grouped by name; every role shares this JVM). Exit status 1 if any check fails.
 * Usage: InFlightBench [levels, default 1000,5000,10000] [sleep seconds, default 20] [workers, default 10]
 */
public final class InFlightBench {
  public static void main(String[] args) throws Exception {
    String[] levels = (args.length > 0 ? args[0] : "1000,5000,10000").split(",");
    double sleep = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int workers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    System.out.println("SIMULATED workers (no processes), machine: " + BenchFarm.machine());
    System.out.println("| in flight | completions | executions | accepted/s | makespan s | overhead ms/action | CPU-ms/action (total; front, broker, cache, workers, other) |");
    System.out.println("|---|---|---|---|---|---|---|");
    boolean ok = true;
    for (String level : levels) {
      int n = Integer.parseInt(level.trim());
      ok &= run(n, sleep, workers);
    }
    System.exit(ok ? 0 : 1);
  }

  private static boolean run(int n, double sleep, int workers) throws Exception {
    int slotsPerWorker = (n + workers - 1) / workers;
    try (EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, workers, slotsPerWorker,
        Files.createTempDirectory("kiln-inflight"), false, "kiln-inflight-" + UUID.randomUUID(), Duration.ofSeconds(30), true))) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext()
          .maxInboundMessageSize(64 << 20).build();
      List<Digest> actions = ScaleOutBench.upload(channel, n, "sleep " + sleep);
      runAll(channel, ScaleOutBench.upload(channel, workers, "true"), new ConcurrentHashMap<>(), new AtomicLong());
      long executionsBefore = SimulatedActionExecutor.executions();
      Map<String, Long> cpuBefore = cpuByRole();
      Map<String, Integer> completions = new ConcurrentHashMap<>();
      AtomicLong lastAccepted = new AtomicLong();
      long t0 = System.nanoTime();
      int failures = runAll(channel, actions, completions, lastAccepted);
      double makespan = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> cpu = cpuByRole();
      cpu.replaceAll((k, v) -> v - cpuBefore.getOrDefault(k, 0L));
      long executions = SimulatedActionExecutor.executions() - executionsBefore;
      int once = (int) completions.values().stream().filter(c -> c == 1).count();
      boolean passed = failures == 0 && once == n && completions.size() == n && executions == n;
      double accepted = n / ((lastAccepted.get() - t0) / 1e9);
      long total = cpu.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("| %d | %d%s | %d | %.0f | %.1f | %.2f | %.2f (%s) |%n", n, completions.size(), once == n ? "" : " (" + (n - once) + " not once)",
          executions, accepted, makespan, (makespan - sleep) * 1000 / n, total / 1e6 / n, perAction(cpu, n));
      if (!passed) {
        System.out.printf("FAILED at %d: %d failures, %d completed exactly once, %d executions%n", n, failures, once, executions);
      }
      channel.shutdownNow();
      return passed;
    }
  }

  private static String perAction(Map<String, Long> cpu, int n) {
    StringBuilder out = new StringBuilder();
    for (String role : List.of("front", "broker", "cache", "workers", "other")) {
      out.append(out.length() == 0 ? "" : ", ").append(String.format("%.2f", cpu.getOrDefault(role, 0L) / 1e6 / n));
    }
    return out.toString();
  }

  /** CPU time so far of live threads, by the role their name says. */
  private static Map<String, Long> cpuByRole() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new TreeMap<>();
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long t = threads.getThreadCpuTime(info.getThreadId());
      if (t > 0) {
        out.merge(role(info.getThreadName()), t, Long::sum);
      }
    }
    return out;
  }

  private static String role(String thread) {
    if (thread.startsWith("vert.x-eventloop") || thread.startsWith("vert.x-worker") || thread.contains("front")) {
      return "front";
    }
    if (thread.startsWith("hz.")) {
      return "cache";
    }
    if (thread.startsWith("worker-")) {
      return "workers";
    }
    if (thread.startsWith("kafka") || thread.startsWith("data-plane") || thread.startsWith("broker") || thread.contains("Controller")
        || thread.startsWith("share-") || thread.contains("Raft") || thread.contains("group-coordinator")) {
      return "broker";
    }
    return "other";
  }

  /** Executes every action concurrently; counts each name's completions; returns the failures. */
  private static int runAll(ManagedChannel channel, List<Digest> actions, Map<String, Integer> completions, AtomicLong lastAccepted)
      throws Exception {
    return ExecuteAll.run(channel, "inflight", true, actions, t -> lastAccepted.accumulateAndGet(t, Math::max),
        (last, r) -> completions.merge(last.getName(), 1, Integer::sum));
  }
}
