package dev.kiln.bench;

import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import com.google.longrunning.Operation;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/** Sends every Execute of a benchmark at once and waits for all of them. */
final class ExecuteAll {
  /** What a finished stream hands back: its last Operation and the response in it. */
  interface Finished {
    void accept(Operation last, ExecuteResponse response);
  }

  private ExecuteAll() {}

  /**
   * Executes {@code actions} concurrently under {@code instance}; {@code accepted} gets the
   * System.nanoTime() of each stream's first Operation, {@code finished} each stream that ended done
   * with status OK and exit code 0. Returns how many streams did not.
   */
  static int run(ManagedChannel channel, String instance, boolean skipCache, List<Digest> actions, LongConsumer accepted,
      Finished finished) throws InterruptedException {
    ExecutionGrpc.ExecutionStub exec = ExecutionGrpc.newStub(channel);
    CountDownLatch done = new CountDownLatch(actions.size());
    AtomicInteger failures = new AtomicInteger();
    for (Digest d : actions) {
      exec.execute(ExecuteRequest.newBuilder().setInstanceName(instance).setActionDigest(d).setSkipCacheLookup(skipCache).build(),
          new StreamObserver<>() {
            private Operation last;

            @Override
            public void onNext(Operation op) {
              if (last == null) {
                accepted.accept(System.nanoTime());
              }
              last = op;
            }

            @Override
            public void onError(Throwable t) {
              failures.incrementAndGet();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              try {
                ExecuteResponse r = last == null ? null : last.getResponse().unpack(ExecuteResponse.class);
                if (r == null || !last.getDone() || r.getStatus().getCode() != 0 || r.getResult().getExitCode() != 0) {
                  failures.incrementAndGet();
                } else {
                  finished.accept(last, r);
                }
              } catch (Exception e) {
                failures.incrementAndGet();
              }
              done.countDown();
            }
          });
    }
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("actions did not finish");
    }
    return failures.get();
  }
}
