package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import dev.kiln.proto.events.QueuedAction;

/**
 * Runs one queued action to completion on this worker and says what happened. A failure of the
 * command itself (non-zero exit, timeout) is a normal response; a failure to run it (missing
 * inputs, bad action) is a FarmException. The worker's behaviour is this small core wrapped by
 * decorators (caching, logging) in the composition root.
 */
public interface ActionExecutor {
  ExecuteResponse execute(QueuedAction action);
}
