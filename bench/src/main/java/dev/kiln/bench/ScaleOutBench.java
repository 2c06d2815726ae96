package dev.kiln.bench;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import com.google.protobuf.ByteString;
import dev.kiln.launcher.EmbeddedFarm;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Scale-out: N sleep actions of 1 s each (distinct, so none is cached or merged) submitted at
 * once to a farm with S worker slots (workers of 5 slots each), makespan against the ideal N/S s.
 * With {@code simulate}, workers run no processes ({@code SimulatedActionExecutor}): the
 * scheduling path alone. Usage: ScaleOutBench [actions] [slots,...] [runs] [sandbox|simulate]
 */
public final class ScaleOutBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    String[] slotSets = (args.length > 1 ? args[1] : "10,20,40").split(",");
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    boolean simulate = args.length > 3 && args[3].equals("simulate");
    System.out.println("workers: " + (simulate ? "simulated (no processes)" : "bubblewrap sandbox, /bin/sh -c 'sleep 1'"));
    System.out.println("machine: " + BenchFarm.machine());
    System.out.println("| slots | actions | ideal s | makespan s (runs) | median s | vs ideal | overhead per action (slot-ms) | failures |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (String set : slotSets) {
      int slots = Integer.parseInt(set.trim());
      List<Double> spans = new ArrayList<>();
      int failures = 0;
      for (int r = 0; r < runs; r++) {
        try (EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, slots / 5, 5,
            Files.createTempDirectory("kiln-scale"), false, "kiln-scale-" + UUID.randomUUID(), Duration.ofSeconds(30), simulate))) {
          ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().build();
          List<Digest> actions = upload(channel, n);
          warm(channel, slots);
          long t0 = System.nanoTime();
          failures += runAll(channel, actions);
          spans.add((System.nanoTime() - t0) / 1e9);
          double run = PHASES.stream().mapToLong(x -> x[0]).average().orElse(0);
          double worker = PHASES.stream().mapToLong(x -> x[1]).average().orElse(0);
          long lastAccepted = ACCEPTED.stream().mapToLong(Long::longValue).max().orElse(t0);
          System.err.printf("slots %d: all %d accepted after %.2f s%n", slots, ACCEPTED.size(), (lastAccepted - t0) / 1e9);
          System.err.printf("slots %d: mean sandbox+run %.0f ms, mean worker time %.0f ms (so %.0f ms outside the command)%n",
              slots, run, worker, worker - run);
          channel.shutdownNow();
        }
      }
      double ideal = n / (double) slots;
      double median = Stats.median(spans);
      System.out.printf("| %d | %d | %.1f | %s | %.2f | +%.1f%% | %.0f | %d |%n", slots, n, ideal,
          spans.stream().map(s -> String.format("%.2f", s)).toList(), median, 100 * (median / ideal - 1),
          (median - ideal) * slots * 1000 / n, failures);
    }
  }

  /** One short action per slot first, so every share consumer has joined before timing. */
  private static void warm(ManagedChannel channel, int slots) throws Exception {
    runAll(channel, upload(channel, slots, "true"));
  }

  private static List<Digest> upload(ManagedChannel channel, int n) {
    return upload(channel, n, "sleep 1");
  }

  static List<Digest> upload(ManagedChannel channel, int n, String script) {
    List<Digest> out = new ArrayList<>();
    var cas = ContentAddressableStorageGrpc.newBlockingStub(channel);
    BatchUpdateBlobsRequest.Builder batch = BatchUpdateBlobsRequest.newBuilder();
    byte[] root = Directory.getDefaultInstance().toByteArray();
    for (int i = 0; i < n; i++) {
      Command cmd = Command.newBuilder().addArguments("/bin/sh").addArguments("-c").addArguments(script + " # " + UUID.randomUUID()).build();
      Action a = Action.newBuilder().setCommandDigest(NoopRoundTrip.digest(cmd.toByteArray())).setInputRootDigest(NoopRoundTrip.digest(root)).build();
      for (byte[] b : List.of(cmd.toByteArray(), a.toByteArray())) {
        batch.addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(NoopRoundTrip.digest(b)).setData(ByteString.copyFrom(b)));
      }
      out.add(NoopRoundTrip.digest(a.toByteArray()));
      if (batch.getRequestsCount() >= 200) {
        cas.batchUpdateBlobs(batch.build());
        batch.clear();
      }
    }
    if (batch.getRequestsCount() > 0) {
      cas.batchUpdateBlobs(batch.build());
    }
    return out;
  }

  /** Per-action phases of the last timed run, from ExecutedActionMetadata (ms). */
  private static final List<long[]> PHASES = java.util.Collections.synchronizedList(new ArrayList<>());
  private static final List<Long> ACCEPTED = java.util.Collections.synchronizedList(new ArrayList<>());

  private static long ms(com.google.protobuf.Timestamp a, com.google.protobuf.Timestamp b) {
    return ((b.getSeconds() - a.getSeconds()) * 1_000_000_000L + (b.getNanos() - a.getNanos())) / 1_000_000;
  }

  /** Executes every action concurrently, recording phases and first-answer times; returns the failures. */
  private static int runAll(ManagedChannel channel, List<Digest> actions) throws Exception {
    PHASES.clear();
    ACCEPTED.clear();
    return ExecuteAll.run(channel, "scale", false, actions, ACCEPTED::add, (last, r) -> {
      var m = r.getResult().getExecutionMetadata();
      PHASES.add(new long[] {ms(m.getExecutionStartTimestamp(), m.getExecutionCompletedTimestamp()),
          ms(m.getWorkerStartTimestamp(), m.getWorkerCompletedTimestamp()), ms(m.getQueuedTimestamp(), m.getWorkerStartTimestamp())});
    });
  }
}
