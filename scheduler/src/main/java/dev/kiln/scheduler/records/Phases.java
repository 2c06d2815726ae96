package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import io.vertx.core.json.JsonObject;

/**
 * Where an executed action spent its time, in milliseconds, from the worker's
 * {@code ExecutedActionMetadata}: waiting in the queue, fetching inputs, running, uploading
 * outputs, and in all (queued to worker completed). -1 when a timestamp is missing.
 */
public record Phases(long queuedMs, long inputFetchMs, long executionMs, long uploadMs, long totalMs) {
  public static final Phases NONE = new Phases(-1, -1, -1, -1, -1);

  public static Phases of(ExecutedActionMetadata m) {
    return new Phases(between(m.getQueuedTimestamp(), m.getWorkerStartTimestamp()),
        between(m.getInputFetchStartTimestamp(), m.getInputFetchCompletedTimestamp()),
        between(m.getExecutionStartTimestamp(), m.getExecutionCompletedTimestamp()),
        between(m.getOutputUploadStartTimestamp(), m.getOutputUploadCompletedTimestamp()),
        between(m.getQueuedTimestamp(), m.getWorkerCompletedTimestamp()));
  }

  static long between(Timestamp from, Timestamp to) {
    if (isUnset(from) || isUnset(to)) {
      return -1;
    }
    long ms = (to.getSeconds() - from.getSeconds()) * 1000 + (to.getNanos() - from.getNanos()) / 1_000_000;
    return Math.max(0, ms);
  }

  private static boolean isUnset(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0;
  }

  JsonObject toJson() {
    return new JsonObject().put("queued", queuedMs).put("inputFetch", inputFetchMs).put("execution", executionMs)
        .put("upload", uploadMs).put("total", totalMs);
  }
}
