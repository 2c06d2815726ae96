package dev.kiln.bench;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import com.google.longrunning.Operation;
import dev.kiln.launcher.EmbeddedFarm;
import dev.kiln.scheduler.auth.Access;
import dev.kiln.scheduler.auth.Authenticator;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fair share between users: on a farm of W workers x 4 sandbox slots, user "bob" runs a small build
 * (SMALL actions of {@code sleep D}, at most J at once, like make -jJ) alone, then again while user
 * "ann" has a BIG-action build (all sent at once, like -j500) filling every slot with a backlog.
 * Reports both times of bob's build and their ratio; exit status 1 if any of bob's actions failed.
 * Usage: FairnessBench [runs=3] [workers=4] [small=20] [j=8] [big=500] [seconds=1]
 */
public final class FairnessBench {
  public static void main(String[] args) throws Exception {
    int runs = arg(args, 0, 3);
    int workers = arg(args, 1, 4);
    int small = arg(args, 2, 20);
    int jobs = arg(args, 3, 8);
    int big = arg(args, 4, 500);
    int seconds = arg(args, 5, 1);
    System.out.printf("machine: %s; %d workers x 4 sandbox slots; bob: %d x sleep %d at -j%d; ann: %d x sleep %d at once%n",
        BenchFarm.machine(), workers, small, seconds, jobs, big, seconds);
    System.out.println("| run | bob alone s | bob beside ann s | ratio | ann actions done meanwhile |");
    System.out.println("|---|---|---|---|---|");
    List<Double> ratios = new ArrayList<>();
    boolean ok = true;
    Path tokens = Files.createTempFile("kiln-tokens", ".txt");
    Files.writeString(tokens, "ann-token ann\nbob-token bob\n");
    for (int run = 1; run <= runs; run++) {
      try (EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, workers, 4,
          Files.createTempDirectory("kiln-fair"), false, "kiln-fair-" + UUID.randomUUID(), Duration.ofSeconds(30), false,
          Authenticator.fromFile(tokens, Set.of(), Access.CACHE_ONLY), false))) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().build();
        ManagedChannel uploads = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().intercept(token("bob-token")).build();
        ExecutionGrpc.ExecutionBlockingStub bob = ExecutionGrpc.newBlockingStub(channel).withInterceptors(token("bob-token"));
        ExecutionGrpc.ExecutionStub ann = ExecutionGrpc.newStub(channel).withInterceptors(token("ann-token"));
        runBuild(bob, ScaleOutBench.upload(uploads, workers * 4, "true"), workers * 4);
        double alone = runBuild(bob, ScaleOutBench.upload(uploads, small, "sleep " + seconds), jobs);
        AtomicInteger annDone = new AtomicInteger();
        for (Digest d : ScaleOutBench.upload(uploads, big, "sleep " + seconds)) {
          ann.execute(request(d), counting(annDone));
        }
        Thread.sleep(3000L * seconds);
        int before = annDone.get();
        double shared = runBuild(bob, ScaleOutBench.upload(uploads, small, "sleep " + seconds), jobs);
        ok &= alone > 0 && shared > 0;
        ratios.add(shared / alone);
        System.out.printf("| %d | %.2f | %.2f | %.2fx | %d |%n", run, alone, shared, shared / alone, annDone.get() - before);
        channel.shutdownNow();
        uploads.shutdownNow();
      }
    }
    System.out.printf("median ratio %.2fx over %d runs%n", Stats.median(ratios), runs);
    System.exit(ok ? 0 : 1);
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i]) : dflt;
  }

  private static io.grpc.ClientInterceptor token(String token) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(m);
  }

  private static ExecuteRequest request(Digest d) {
    return ExecuteRequest.newBuilder().setInstanceName("fair").setActionDigest(d).setSkipCacheLookup(true).build();
  }

  private static StreamObserver<Operation> counting(AtomicInteger done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Operation op) {
        if (op.getDone()) {
          done.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /** Runs {@code actions} with at most {@code jobs} at once; seconds taken, or -1 if one failed. */
  private static double runBuild(ExecutionGrpc.ExecutionBlockingStub stub, List<Digest> actions, int jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    long t0 = System.nanoTime();
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (Digest d : actions) {
        results.add(pool.submit(() -> {
          Iterator<Operation> it = stub.withDeadlineAfter(10, TimeUnit.MINUTES).execute(request(d));
          Operation last = null;
          while (it.hasNext()) {
            last = it.next();
          }
          ExecuteResponse r = last.getResponse().unpack(ExecuteResponse.class);
          return last.getDone() && r.getStatus().getCode() == 0 && r.getResult().getExitCode() == 0;
        }));
      }
      for (Future<Boolean> f : results) {
        if (!f.get()) {
          return -1;
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
