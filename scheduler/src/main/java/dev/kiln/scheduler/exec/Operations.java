package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.DigestFunction;
import build.bazel.remote.execution.v2.ExecuteOperationMetadata;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionStage;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import dev.kiln.common.Digest;

/** Builds the google.longrunning.Operation messages of the Execution service. */
public final class Operations {
  private Operations() {}

  public static Operation pending(String name, Digest action, ExecutionStage.Value stage) {
    return Operation.newBuilder().setName(name).setMetadata(metadata(action, stage)).build();
  }

  /** The final message: done, with the response (never Operation.error, as the spec asks). */
  public static Operation done(String name, Digest action, ExecuteResponse response) {
    return Operation.newBuilder().setName(name).setMetadata(metadata(action, ExecutionStage.Value.COMPLETED))
        .setDone(true).setResponse(Any.pack(response)).build();
  }

  private static Any metadata(Digest action, ExecutionStage.Value stage) {
    return Any.pack(ExecuteOperationMetadata.newBuilder().setStage(stage).setActionDigest(action.toProto())
        .setDigestFunction(DigestFunction.Value.SHA256).build());
  }
}
