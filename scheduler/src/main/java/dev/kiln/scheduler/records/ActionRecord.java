package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.rpc.Code;
import dev.kiln.common.Digest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What became of one action: who asked, which build, which worker ran it (empty for a cache hit),
 * its phases, exit code, cache status ({@code hit} or {@code miss}), outcome ({@code ok},
 * {@code failed}: the command exited non-zero, {@code error}: the farm could not run it, with the
 * status code and message as {@code reason}), and its outputs' count and bytes.
 */
public record ActionRecord(Instant finished, String operation, String action, Requester who, String cache, String status,
    int exitCode, String code, String reason, String worker, Phases phases, int outputs, long outputBytes) {

  /** An action answered from the action cache. */
  public static ActionRecord served(Requester who, Digest action, ActionResult result, Instant now) {
    return new ActionRecord(now, "", action.toString(), who, "hit", "ok", result.getExitCode(), Code.OK.name(), "", "",
        Phases.NONE, outputCount(result), outputBytes(result));
  }

  /** An operation that completed with {@code response}. */
  public static ActionRecord finished(Requester who, String operation, Digest action, String worker, ExecuteResponse response, Instant now) {
    ActionResult result = response.getResult();
    int code = response.getStatus().getCode();
    String status = code != 0 ? "error" : result.getExitCode() != 0 ? "failed" : "ok";
    String reason = code != 0 ? Requester.bounded(response.getStatus().getMessage())
        : result.getExitCode() != 0 ? "exit code " + result.getExitCode() : "";
    Code named = Code.forNumber(code);
    String ranOn = result.getExecutionMetadata().getWorker().isEmpty() ? worker : result.getExecutionMetadata().getWorker();
    return new ActionRecord(now, operation, action.toString(), who, response.getCachedResult() ? "hit" : "miss", status,
        result.getExitCode(), named == null ? "UNKNOWN" : named.name(), reason, Requester.bounded(ranOn),
        response.getCachedResult() ? Phases.NONE : Phases.of(result.getExecutionMetadata()), outputCount(result), outputBytes(result));
  }

  private static int outputCount(ActionResult r) {
    return r.getOutputFilesCount() + r.getOutputDirectoriesCount() + r.getOutputSymlinksCount();
  }

  private static long outputBytes(ActionResult r) {
    return r.getOutputFilesList().stream().mapToLong(f -> f.getDigest().getSizeBytes()).sum()
        + r.getStdoutDigest().getSizeBytes() + r.getStderrDigest().getSizeBytes();
  }

  public JsonObject toJson() {
    return new JsonObject().put("finished", finished.toString()).put("finishedMs", finished.toEpochMilli()).put("operation", operation)
        .put("action", action).put("user", who.user()).put("build", who.build()).put("tool", who.tool()).put("label", who.label())
        .put("protocol", who.protocol()).put("cache", cache).put("status", status).put("exitCode", exitCode).put("code", code)
        .put("reason", reason).put("worker", worker).put("phasesMs", phases.toJson()).put("outputs", outputs).put("outputBytes", outputBytes);
  }
}
