package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.ActionCacheUpdateCapabilities;
import build.bazel.remote.execution.v2.CacheCapabilities;
import build.bazel.remote.execution.v2.CapabilitiesGrpcService;
import build.bazel.remote.execution.v2.DigestFunction;
import build.bazel.remote.execution.v2.ExecutionCapabilities;
import build.bazel.remote.execution.v2.PriorityCapabilities;
import build.bazel.remote.execution.v2.ServerCapabilities;
import build.bazel.remote.execution.v2.SymlinkAbsolutePathStrategy;
import build.bazel.semver.SemVer;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServer;

/**
 * GetCapabilities, the same for every instance: SHA-256 in both the list and the legacy singular
 * field, API 2.0 to 2.2 (Bazel 4.2.3 rejects a server whose high version is unset), writable
 * action cache, a concrete batch limit, no compression.
 */
public final class CapabilitiesEndpoint {
  private final ServerCapabilities capabilities;

  public CapabilitiesEndpoint(long maxBatchBytes, long maxBlobBytes) {
    PriorityCapabilities priorities = PriorityCapabilities.newBuilder()
        .addPriorities(PriorityCapabilities.PriorityRange.newBuilder().setMinPriority(-1000).setMaxPriority(1000)).build();
    this.capabilities = ServerCapabilities.newBuilder()
        .setCacheCapabilities(CacheCapabilities.newBuilder()
            .addDigestFunctions(DigestFunction.Value.SHA256)
            .setActionCacheUpdateCapabilities(ActionCacheUpdateCapabilities.newBuilder().setUpdateEnabled(true))
            .setCachePriorityCapabilities(priorities)
            .setMaxBatchTotalSizeBytes(maxBatchBytes)
            .setMaxCasBlobSizeBytes(maxBlobBytes)
            .setSymlinkAbsolutePathStrategy(SymlinkAbsolutePathStrategy.Value.DISALLOWED))
        .setExecutionCapabilities(ExecutionCapabilities.newBuilder()
            .setDigestFunction(DigestFunction.Value.SHA256)
            .addDigestFunctions(DigestFunction.Value.SHA256)
            .setExecEnabled(true)
            .setExecutionPriorityCapabilities(priorities))
        .setLowApiVersion(SemVer.newBuilder().setMajor(2).setMinor(0))
        .setHighApiVersion(SemVer.newBuilder().setMajor(2).setMinor(2))
        .build();
  }

  public void bind(GrpcServer server) {
    GrpcBindings.unary(server, CapabilitiesGrpcService.GetCapabilities, req -> Future.succeededFuture(capabilities));
  }
}
