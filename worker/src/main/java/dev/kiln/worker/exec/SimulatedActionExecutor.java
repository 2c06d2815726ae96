package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import dev.kiln.action.ActionInputs;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.QueuedAction;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs no command: reads the action like the real executor, then, for a command of the form
 * {@code sleep SECONDS} (optionally through {@code /bin/sh -c}), waits that long and succeeds.
 * It measures the scheduling path (front node, Kafka, Hazelcast, reporting) without process
 * start costs, like Buildbarn's noop worker. Only used when a worker is started with
 * {@code --simulate}; never in a real farm.
 */
public final class SimulatedActionExecutor implements ActionExecutor {
  private static final java.util.concurrent.atomic.AtomicLong EXECUTIONS = new java.util.concurrent.atomic.AtomicLong();
  private final BlobStore cas;
  private final String workerId;
  private final Clock clock;

  public SimulatedActionExecutor(BlobStore cas, String workerId, Clock clock) {
    this.cas = cas;
    this.workerId = workerId;
    this.clock = clock;
  }

  @Override
  public ExecuteResponse execute(QueuedAction queued) {
    Timestamp start = now();
    ActionInputs inputs = ActionInputs.load(cas, Digest.fromProto(queued.getActionDigest()), Duration.ofHours(1), Duration.ofHours(1));
    Timestamp execStart = now();
    EXECUTIONS.incrementAndGet();
    sleep(seconds(inputs.command().getArgumentsList()));
    Timestamp end = now();
    return ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(0)
        .setStdoutDigest(Digest.EMPTY.toProto()).setStderrDigest(Digest.EMPTY.toProto())
        .setExecutionMetadata(ExecutedActionMetadata.newBuilder().setWorker(workerId).setQueuedTimestamp(queued.getQueuedTime())
            .setWorkerStartTimestamp(start).setInputFetchStartTimestamp(execStart).setInputFetchCompletedTimestamp(execStart)
            .setExecutionStartTimestamp(execStart).setExecutionCompletedTimestamp(end).setOutputUploadStartTimestamp(end)
            .setOutputUploadCompletedTimestamp(end).setWorkerCompletedTimestamp(end))).build();
  }

  /** Actions every simulating executor in this JVM has run (benchmarks check none ran twice). */
  public static long executions() {
    return EXECUTIONS.get();
  }

  static double seconds(List<String> argv) {
    String cmd = argv.size() >= 3 && argv.get(1).equals("-c") ? argv.get(2) : String.join(" ", argv);
    String[] words = cmd.split("#", 2)[0].trim().split("\\s+");
    if (words.length == 2 && words[0].endsWith("sleep")) {
      try {
        return Double.parseDouble(words[1]);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    if (words.length == 1 && (words[0].endsWith("true"))) {
      return 0;
    }
    throw FarmException.invalidArgument("a simulating worker only runs 'sleep N' or 'true', not '%s'", cmd);
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FarmException.of(com.google.rpc.Code.ABORTED, "interrupted");
    }
  }

  private Timestamp now() {
    var i = clock.instant();
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
