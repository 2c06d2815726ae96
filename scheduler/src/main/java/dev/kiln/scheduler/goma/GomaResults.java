package dev.kiln.scheduler.goma;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.OutputFile;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.goma.FileBlobs;
import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.proto.goma.ExecResp;
import dev.kiln.proto.goma.ExecResult;
import dev.kiln.proto.goma.FileBlob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns an ExecuteResponse into Goma's ExecResp: exit status, stdout and stderr inline, outputs as
 * FILE blobs up to 2 MiB and as FILE_META (chunks stored for /l) above, the command spec that ran
 * (with its binary hash), and cache_hit. A failure to run becomes BAD_REQUEST for caller errors
 * and a retriable error_message otherwise.
 */
final class GomaResults {
  private final BlobStore cas;
  private final GomaFileService files;

  GomaResults(BlobStore cas, GomaFileService files) {
    this.cas = cas;
    this.files = files;
  }

  CompletionStage<ExecResp> toExecResp(ExecuteResponse r, Toolchain toolchain, boolean cached) {
    ExecResp.Builder resp = ExecResp.newBuilder().setCacheHit(cached ? ExecResp.CacheSource.MEM_CACHE : ExecResp.CacheSource.NO_CACHE);
    // A client-supplied (arbitrary) toolchain has no binary hash: echo no command_spec, as the
    // reference server does, so the client skips its mismatch checks.
    CommandSpec spec = toolchain.getBinarySha256().isEmpty() ? null : CommandSpec.newBuilder().setName(toolchain.getName())
        .setVersion(toolchain.getVersion()).setTarget(toolchain.getTarget()).setBinaryHash(ByteString.copyFromUtf8(toolchain.getBinarySha256())).build();
    if (r.getStatus().getCode() != Code.OK_VALUE) {
      int code = r.getStatus().getCode();
      if (code == Code.INVALID_ARGUMENT_VALUE || code == Code.FAILED_PRECONDITION_VALUE) {
        resp.setError(ExecResp.ExecError.BAD_REQUEST);
      }
      ExecResult.Builder failed = ExecResult.newBuilder().setExitStatus(-1);
      if (spec != null) {
        failed.setCommandSpec(spec);
      }
      return CompletableFuture.completedFuture(resp.addErrorMessage("Execute error: " + Code.forNumber(code) + " " + r.getStatus().getMessage())
          .setResult(failed).build());
    }
    ActionResult result = r.getResult();
    ExecResult.Builder out = ExecResult.newBuilder().setExitStatus(result.getExitCode());
    if (spec != null) {
      out.setCommandSpec(spec);
    }
    List<CompletionStage<Void>> parts = new ArrayList<>();
    parts.add(bytes(result.getStdoutDigest()).thenAccept(b -> out.setStdoutBuffer(ByteString.copyFrom(b))));
    parts.add(bytes(result.getStderrDigest()).thenAccept(b -> out.setStderrBuffer(ByteString.copyFrom(b))));
    List<ExecResult.Output.Builder> outputs = new ArrayList<>();
    for (OutputFile f : result.getOutputFilesList()) {
      ExecResult.Output.Builder o = ExecResult.Output.newBuilder().setFilename(f.getPath()).setIsExecutable(f.getIsExecutable());
      outputs.add(o);
      parts.add(bytes(f.getDigest()).thenCompose(b -> blob(b)).thenAccept(o::setBlob));
    }
    return Futures.all(parts).thenApply(v -> {
      outputs.forEach(out::addOutput);
      return resp.setResult(out).build();
    });
  }

  private CompletionStage<byte[]> bytes(build.bazel.remote.execution.v2.Digest d) {
    if (d.getHash().isEmpty()) {
      return CompletableFuture.completedFuture(new byte[0]);
    }
    return cas.getRequired(Digest.fromProto(d));
  }

  /** A FILE for small outputs; a FILE_META whose chunks are stored for /l above 2 MiB. */
  private CompletionStage<FileBlob> blob(byte[] data) {
    if (data.length <= FileBlobs.CHUNK_SIZE) {
      return CompletableFuture.completedFuture(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE)
          .setFileSize(data.length).setContent(ByteString.copyFrom(data)).build());
    }
    List<CompletionStage<String>> keys = new ArrayList<>();
    for (int off = 0; off < data.length; off += FileBlobs.CHUNK_SIZE) {
      int len = Math.min(FileBlobs.CHUNK_SIZE, data.length - off);
      keys.add(files.storeOne(FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_CHUNK).setOffset(off)
          .setFileSize(data.length).setContent(ByteString.copyFrom(data, off, len)).build()));
    }
    return Futures.all(keys).thenApply(k -> FileBlob.newBuilder().setBlobType(FileBlob.BlobType.FILE_META)
        .setFileSize(data.length).addAllHashKey(k).build());
  }
}
