package dev.kiln.bench;

import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import com.google.protobuf.ByteString;
import dev.kiln.launcher.EmbeddedFarm;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Action-cache hits: GetActionResult of a cached result with two outputs (each hit also checks
 * that the outputs are still in the CAS), from 32 concurrent clients over 4 connections.
 * Each round measures 1 client (latency) and then {@code clients} concurrent clients (throughput).
 * Usage: AcHitBench [rounds] [seconds-per-round] [clients]
 */
public final class AcHitBench {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    try (EmbeddedFarm farm = BenchFarm.start(1, 1)) {
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().build());
      }
      Digest action = NoopRoundTrip.digest("bench action".getBytes(StandardCharsets.UTF_8));
      ActionResult.Builder result = ActionResult.newBuilder().setExitCode(0);
      BatchUpdateBlobsRequest.Builder upload = BatchUpdateBlobsRequest.newBuilder();
      for (String name : List.of("a.o", "b.o")) {
        byte[] data = ("object file " + name).repeat(200).getBytes(StandardCharsets.UTF_8);
        upload.addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(NoopRoundTrip.digest(data)).setData(ByteString.copyFrom(data)));
        result.addOutputFiles(OutputFile.newBuilder().setPath(name).setDigest(NoopRoundTrip.digest(data)));
      }
      ContentAddressableStorageGrpc.newBlockingStub(channels.get(0)).batchUpdateBlobs(upload.build());
      ActionCacheGrpc.newBlockingStub(channels.get(0)).updateActionResult(UpdateActionResultRequest.newBuilder()
          .setInstanceName("bench").setActionDigest(action).setActionResult(result).build());
      GetActionResultRequest get = GetActionResultRequest.newBuilder().setInstanceName("bench").setActionDigest(action).build();

      System.out.println("machine: " + BenchFarm.machine());
      System.out.println("| round | clients | hits/s | p50 ms | p99 ms |");
      System.out.println("|---|---|---|---|---|");
      List<Double> p50s = new ArrayList<>();
      List<Double> rates = new ArrayList<>();
      for (int step = -2; step < 2 * rounds; step++) {
        int r = step < 0 ? -1 : step / 2;
        int clientsNow = step % 2 == 0 ? 1 : clients;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(r < 0 ? 10 : seconds);
        List<Thread> threads = new ArrayList<>();
        List<Stats> perThread = new ArrayList<>();
        for (int c = 0; c < clientsNow; c++) {
          Stats s = new Stats();
          perThread.add(s);
          ActionCacheGrpc.ActionCacheBlockingStub stub = ActionCacheGrpc.newBlockingStub(channels.get(c % channels.size()));
          Thread t = new Thread(() -> {
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              stub.getActionResult(get);
              s.add(System.nanoTime() - t0);
            }
          });
          threads.add(t);
          t.start();
        }
        for (Thread t : threads) {
          t.join();
        }
        if (r < 0) {
          continue;
        }
        Stats all = new Stats();
        long n = 0;
        for (Stats s : perThread) {
          n += s.count();
          all.merge(s);
        }
        double rate = n / (double) seconds;
        if (clientsNow == 1) {
          p50s.add(all.p(0.5));
        } else {
          rates.add(rate);
        }
        System.out.printf("| %d | %d | %.0f | %.3f | %.3f |%n", r + 1, clientsNow, rate, all.p(0.5), all.p(0.99));
      }
      System.out.printf("median of rounds: %.0f hits/s with %d clients, p50 %.3f ms with 1 client%n", Stats.median(rates), clients, Stats.median(p50s));
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
