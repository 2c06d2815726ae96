package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import dev.kiln.common.Digest;
import java.util.Optional;

/**
 * What became of an Execute request: answered from the action cache at once ({@code cached}
 * present), or an operation to wait on (newly queued, or an identical one already in flight).
 */
public record Admission(String operationName, Digest actionDigest, Optional<ExecuteResponse> cached) {}
