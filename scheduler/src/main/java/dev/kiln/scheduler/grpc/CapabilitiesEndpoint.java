package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.ActionCacheUpdateCapabilities;
import build.bazel.remote.execution.v2.CacheCapabilities;
import build.bazel.remote.execution.v2.CapabilitiesGrpcService;
import build.bazel.remote.execution.v2.Compressor;
import build.bazel.remote.execution.v2.DigestFunction;
import build.bazel.remote.execution.v2.ExecutionCapabilities;
import build.bazel.remote.execution.v2.PriorityCapabilities;
import build.bazel.remote.execution.v2.ServerCapabilities;
import build.bazel.remote.execution.v2.SymlinkAbsolutePathStrategy;
import build.bazel.semver.SemVer;
import io.vertx.core.Future;

/**
 * GetCapabilities, the same for every instance: SHA-256 in both the list and the legacy singular
 * field, API 2.0 to 2.11 (Bazel 4.2.3 rejects a server whose high version is unset; Bazel 9
 * negotiates up to 2.11), writable action cache, a concrete batch limit, ZSTD as the one compressor for ByteStream
 * compressed-blobs and for batches (listed alone, so Siso, which takes the first, picks it). What the versions above 2.2 ask of a server and Kiln does: argv[0] resolved
 * from the working directory and PATH (2.3), digest_function fields (2.5-2.7, SHA-256 only),
 * output_directory_format with root_directory_digest (2.8), inline hints are optional (2.9+).
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
            .setSymlinkAbsolutePathStrategy(SymlinkAbsolutePathStrategy.Value.DISALLOWED)
            .addSupportedCompressors(Compressor.Value.ZSTD)
            .addSupportedBatchUpdateCompressors(Compressor.Value.ZSTD))
        .setExecutionCapabilities(ExecutionCapabilities.newBuilder()
            .setDigestFunction(DigestFunction.Value.SHA256)
            .addDigestFunctions(DigestFunction.Value.SHA256)
            .setExecEnabled(true)
            .setExecutionPriorityCapabilities(priorities))
        .setLowApiVersion(SemVer.newBuilder().setMajor(2).setMinor(0))
        .setHighApiVersion(SemVer.newBuilder().setMajor(2).setMinor(11))
        .build();
  }

  public void bind(GrpcBindings grpc) {
    grpc.unary(CapabilitiesGrpcService.GetCapabilities, req -> Future.succeededFuture(capabilities));
  }
}
