package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import build.bazel.remote.execution.v2.ExecutionStage;
import build.bazel.remote.execution.v2.OutputFile;
import com.google.protobuf.Timestamp;
import dev.kiln.proto.events.OperationEvent;
import java.nio.charset.StandardCharsets;

/** Test data: digests, results with phase timestamps, and operation events as a worker publishes them. */
final class Records {
  private Records() {}

  static dev.kiln.common.Digest digest(String content) {
    return dev.kiln.common.Digest.of(content.getBytes(StandardCharsets.UTF_8));
  }

  static Timestamp at(long millis) {
    return Timestamp.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
  }

  /** A result run on {@code worker}: queued at 0, started 100, inputs 100-150, run 150-950, upload 950-1000. */
  static ActionResult result(String worker, int exit) {
    return ActionResult.newBuilder().setExitCode(exit)
        .addOutputFiles(OutputFile.newBuilder().setPath("out.o").setDigest(Digest.newBuilder().setHash("ab".repeat(32)).setSizeBytes(1000)))
        .setStdoutDigest(Digest.newBuilder().setHash("cd".repeat(32)).setSizeBytes(24))
        .setExecutionMetadata(ExecutedActionMetadata.newBuilder().setWorker(worker).setQueuedTimestamp(at(10_000))
            .setWorkerStartTimestamp(at(10_100)).setInputFetchStartTimestamp(at(10_100)).setInputFetchCompletedTimestamp(at(10_150))
            .setExecutionStartTimestamp(at(10_150)).setExecutionCompletedTimestamp(at(10_950))
            .setOutputUploadStartTimestamp(at(10_950)).setOutputUploadCompletedTimestamp(at(11_000)).setWorkerCompletedTimestamp(at(11_000)))
        .build();
  }

  static OperationEvent event(String operation, dev.kiln.common.Digest action, ExecutionStage.Value stage, String worker) {
    return OperationEvent.newBuilder().setOperationName(operation).setActionDigest(action.toProto()).setStage(stage).setWorker(worker).build();
  }

  static OperationEvent completed(String operation, dev.kiln.common.Digest action, String worker, ExecuteResponse response) {
    return event(operation, action, ExecutionStage.Value.COMPLETED, worker).toBuilder().setResponse(response).build();
  }

  static ExecuteResponse response(ActionResult result) {
    return ExecuteResponse.newBuilder().setResult(result).build();
  }
}
