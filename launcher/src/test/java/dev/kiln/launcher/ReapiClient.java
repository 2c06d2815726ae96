package dev.kiln.launcher;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.BatchUpdateBlobsResponse;
import build.bazel.remote.execution.v2.CapabilitiesGrpc;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import com.google.bytestream.ByteStreamGrpc;
import com.google.longrunning.Operation;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kiln.common.Hashing;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stock grpc-java client, as Bazel uses it, plus helpers to build actions. */
final class ReapiClient implements AutoCloseable {
  final ManagedChannel channel;
  final CapabilitiesGrpc.CapabilitiesBlockingStub capabilities;
  final ContentAddressableStorageGrpc.ContentAddressableStorageBlockingStub cas;
  final ActionCacheGrpc.ActionCacheBlockingStub ac;
  final ExecutionGrpc.ExecutionBlockingStub execution;
  final ByteStreamGrpc.ByteStreamBlockingStub byteStream;
  final ByteStreamGrpc.ByteStreamStub byteStreamAsync;

  ReapiClient(int port) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    capabilities = CapabilitiesGrpc.newBlockingStub(channel);
    cas = ContentAddressableStorageGrpc.newBlockingStub(channel);
    ac = ActionCacheGrpc.newBlockingStub(channel);
    execution = ExecutionGrpc.newBlockingStub(channel);
    byteStream = ByteStreamGrpc.newBlockingStub(channel);
    byteStreamAsync = ByteStreamGrpc.newStub(channel);
  }

  static Digest digest(byte[] data) {
    return Digest.newBuilder().setHash(Hashing.sha256Hex(data)).setSizeBytes(data.length).build();
  }

  static Digest digest(Message m) {
    return digest(m.toByteArray());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Uploads blobs with BatchUpdateBlobs and checks every one was stored. */
  void upload(byte[]... blobs) {
    BatchUpdateBlobsRequest.Builder req = BatchUpdateBlobsRequest.newBuilder();
    for (byte[] b : blobs) {
      req.addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(b)).setData(ByteString.copyFrom(b)));
    }
    BatchUpdateBlobsResponse resp = cas.batchUpdateBlobs(req.build());
    for (BatchUpdateBlobsResponse.Response r : resp.getResponsesList()) {
      if (r.getStatus().getCode() != 0) {
        throw new AssertionError("upload failed: " + r.getStatus());
      }
    }
  }

  /** Builds and uploads an action running {@code argv} over {@code root}; returns its digest. */
  Digest action(Directory root, List<String> outputs, boolean doNotCache, long timeoutSeconds, String... argv) {
    Command.Builder cmd = Command.newBuilder().addAllArguments(List.of(argv)).addAllOutputFiles(outputs)
        .addEnvironmentVariables(Command.EnvironmentVariable.newBuilder().setName("PATH").setValue("/usr/bin:/bin"));
    Command command = cmd.build();
    Action.Builder action = Action.newBuilder().setCommandDigest(digest(command)).setInputRootDigest(digest(root)).setDoNotCache(doNotCache);
    if (timeoutSeconds > 0) {
      action.setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds));
    }
    Action a = action.build();
    upload(command.toByteArray(), root.toByteArray(), a.toByteArray());
    return digest(a);
  }

  Digest action(String... argv) {
    return action(Directory.getDefaultInstance(), List.of(), false, 0, argv);
  }

  /** Every Operation of an Execute stream. */
  List<Operation> executeAll(ExecuteRequest request) {
    List<Operation> ops = new ArrayList<>();
    Iterator<Operation> it = execution.withDeadlineAfter(120, TimeUnit.SECONDS).execute(request);
    it.forEachRemaining(ops::add);
    return ops;
  }

  ExecuteResponse execute(Digest action, boolean skipCache) {
    List<Operation> ops = executeAll(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).setSkipCacheLookup(skipCache).build());
    return response(ops.get(ops.size() - 1));
  }

  static ExecuteResponse response(Operation op) {
    if (!op.getDone()) {
      throw new AssertionError("last operation not done: " + op);
    }
    try {
      return op.getResponse().unpack(ExecuteResponse.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Writes {@code blob} as {@code compressed-blobs/zstd} (one zstd frame per {@code frame} bytes,
   * sent in messages of {@code perMessage} compressed bytes); returns the WriteResponse's committed size.
   */
  long writeZstd(String instance, byte[] blob, int frame, int perMessage) throws Exception {
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    for (int pos = 0; pos < blob.length; pos += frame) {
      z.writeBytes(com.github.luben.zstd.Zstd.compress(java.util.Arrays.copyOfRange(blob, pos, Math.min(blob.length, pos + frame))));
    }
    byte[] data = z.toByteArray();
    Digest d = digest(blob);
    String name = instance + "/uploads/" + java.util.UUID.randomUUID() + "/compressed-blobs/zstd/" + d.getHash() + "/" + d.getSizeBytes();
    java.util.concurrent.CompletableFuture<com.google.bytestream.WriteResponse> done = new java.util.concurrent.CompletableFuture<>();
    io.grpc.stub.StreamObserver<com.google.bytestream.WriteRequest> req = byteStreamAsync.write(new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(com.google.bytestream.WriteResponse value) {
        done.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    int pos = 0;
    do {
      int n = Math.min(perMessage, data.length - pos);
      req.onNext(com.google.bytestream.WriteRequest.newBuilder().setResourceName(name).setWriteOffset(pos)
          .setData(ByteString.copyFrom(data, pos, n)).setFinishWrite(pos + n == data.length).build());
      pos += n;
    } while (pos < data.length);
    req.onCompleted();
    return done.get(60, TimeUnit.SECONDS).getCommittedSize();
  }

  /** Reads {@code compressed-blobs/zstd} from {@code offset} (uncompressed) and returns the compressed bytes. */
  byte[] readZstd(String instance, Digest d, long offset) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byteStream.read(com.google.bytestream.ReadRequest.newBuilder()
            .setResourceName(instance + "/compressed-blobs/zstd/" + d.getHash() + "/" + d.getSizeBytes()).setReadOffset(offset).build())
        .forEachRemaining(r -> out.writeBytes(r.getData().toByteArray()));
    return out.toByteArray();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
