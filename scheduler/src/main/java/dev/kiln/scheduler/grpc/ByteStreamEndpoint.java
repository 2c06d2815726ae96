package dev.kiln.scheduler.grpc;

import com.google.bytestream.ByteStreamGrpcService;
import com.google.bytestream.QueryWriteStatusRequest;
import com.google.bytestream.QueryWriteStatusResponse;
import com.google.bytestream.ReadRequest;
import com.google.bytestream.ReadResponse;
import com.google.bytestream.WriteRequest;
import com.google.bytestream.WriteResponse;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.FarmException;
import dev.kiln.scheduler.Blocking;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * ByteStream Read, Write and QueryWriteStatus on the CAS. Writes are buffered, verified against
 * their digest when finished and only then stored (INVALID_ARGUMENT and nothing stored on a
 * mismatch); a cut-off write can be resumed. A declared size over the CAS limit is refused at the
 * first message, bytes beyond the declared size as they come, and unfinished writes together stay
 * within a memory budget (RESOURCE_EXHAUSTED past it). Reads honour offset and limit in 64 KiB chunks.
 * {@code compressed-blobs/zstd/...}: a read sends the blob from the (uncompressed) read_offset
 * as one zstd frame (read_limit must be 0, as REAPI says); a write is decoded as it arrives,
 * never past the digest's size (a zstd bomb is INVALID_ARGUMENT), verified and stored
 * uncompressed, and its committed size counts compressed bytes.
 */
public final class ByteStreamEndpoint {
  private static final int CHUNK = 64 * 1024;

  private final BlobStore cas;
  private final Blocking blocking;
  private final long maxBlobBytes;
  private final UploadTracker uploads;

  /** {@code uploadBudgetBytes} bounds the bytes of all unfinished writes held in memory together. */
  public ByteStreamEndpoint(BlobStore cas, Blocking blocking, long maxBlobBytes, long uploadBudgetBytes, Clock clock) {
    this.cas = cas;
    this.blocking = blocking;
    this.maxBlobBytes = maxBlobBytes;
    this.uploads = new UploadTracker(clock, Duration.ofMinutes(10), uploadBudgetBytes);
  }

  public void bind(GrpcBindings grpc) {
    grpc.server().callHandler(ByteStreamGrpcService.Read, call -> grpc.messages(call, ByteStreamGrpcService.Read, req -> read(call, req)));
    grpc.server().callHandler(ByteStreamGrpcService.Write, call -> new Upload(call).start(grpc));
    grpc.unary(ByteStreamGrpcService.QueryWriteStatus, this::queryWriteStatus);
  }

  /** What a Read sends: {@code bytes[from..to)}. */
  private record Payload(byte[] bytes, int from, int to) {}

  private void read(GrpcServerRequest<ReadRequest, ReadResponse> call, ReadRequest req) {
    Blocking.attempt(() -> {
      ResourceName name = ResourceName.parseRead(req.getResourceName());
      if (req.getReadOffset() < 0 || req.getReadLimit() < 0) {
        throw FarmException.of(Code.OUT_OF_RANGE, "negative read_offset or read_limit");
      }
      if (req.getReadOffset() > name.digest().size()) {
        throw FarmException.of(Code.OUT_OF_RANGE, "read_offset %d is past the end of %s", req.getReadOffset(), name.digest());
      }
      if (name.compressed() && req.getReadLimit() != 0) {
        throw FarmException.invalidArgument("read_limit must be 0 when reading compressed-blobs (REAPI); got %d", req.getReadLimit());
      }
      Future<byte[]> blob = Blocking.onContext(cas.get(name.digest()))
          .map(b -> b.orElseThrow(() -> FarmException.notFound("blob %s is not in the CAS", name.digest())));
      int from = (int) req.getReadOffset();
      if (name.compressed()) {
        // read_offset counts uncompressed bytes: the blob's tail from there, as one zstd frame
        return blob.compose(b -> blocking.run(() -> ZstdCodec.compress(b, from))).map(z -> new Payload(z, 0, z.length));
      }
      return blob.map(b -> new Payload(b, from,
          req.getReadLimit() == 0 ? b.length : (int) Math.min(b.length, from + req.getReadLimit())));
    }).onComplete(ar -> {
      if (ar.failed()) {
        GrpcBindings.fail(call.response(), ar.cause());
        return;
      }
      byte[] blob = ar.result().bytes();
      int from = ar.result().from();
      int to = ar.result().to();
      for (int pos = from; pos < to; pos += CHUNK) {
        int end = Math.min(to, pos + CHUNK);
        ReadResponse chunk = ReadResponse.newBuilder().setData(ByteString.copyFrom(blob, pos, end - pos)).build();
        if (end == to) {
          call.response().end(chunk);
          return;
        }
        call.response().write(chunk);
      }
      call.response().end();
    });
  }

  private Future<QueryWriteStatusResponse> queryWriteStatus(QueryWriteStatusRequest req) {
    ResourceName name = ResourceName.parseWrite(req.getResourceName());
    return Blocking.onContext(cas.findMissing(List.of(name.digest()))).map(missing -> {
      if (missing.isEmpty()) {
        return QueryWriteStatusResponse.newBuilder().setCommittedSize(name.digest().size()).setComplete(true).build();
      }
      long committed = uploads.committed(req.getResourceName())
          .orElseThrow(() -> FarmException.notFound("no upload in progress for %s", req.getResourceName()));
      return QueryWriteStatusResponse.newBuilder().setCommittedSize(committed).setComplete(false).build();
    });
  }

  /**
   * One Write call: its messages are appended in order; the first fixes the resource name. A
   * compressed upload's messages are decoded off the event loop, one at a time (the call is
   * paused meanwhile), bounded by the digest's size; their offsets count compressed bytes.
   */
  private final class Upload {
    private final GrpcServerRequest<WriteRequest, WriteResponse> call;
    private String resource;
    private ResourceName name;
    private UploadTracker.Partial partial;
    private boolean finished;
    private boolean failed;
    private Future<Void> decoded = Future.succeededFuture();

    Upload(GrpcServerRequest<WriteRequest, WriteResponse> call) {
      this.call = call;
    }

    void start(GrpcBindings grpc) {
      grpc.messages(call, ByteStreamGrpcService.Write, this::onMessage);
      call.endHandler(v -> decoded.onComplete(ar -> onEnd()));
    }

    private void onMessage(WriteRequest msg) {
      if (failed) {
        return;
      }
      try {
        if (resource == null) {
          resource = msg.getResourceName();
          name = ResourceName.parseWrite(resource);
          if (name.digest().size() > maxBlobBytes) {
            throw FarmException.invalidArgument("blob %s is over the CAS limit of %d bytes", name.digest(), maxBlobBytes);
          }
          long size = name.digest().size();
          partial = uploads.resume(resource, msg.getWriteOffset(), () -> name.compressed() ? new ZstdDecoder(size) : null)
              .orElseThrow(() -> FarmException.invalidArgument(
                  "write_offset %d does not match the committed size of %s", msg.getWriteOffset(), resource));
        } else if (!msg.getResourceName().isEmpty() && !msg.getResourceName().equals(resource)) {
          throw FarmException.invalidArgument("resource_name changed within one Write call");
        }
        if (finished) {
          throw FarmException.invalidArgument("data after finish_write");
        }
        if (name.compressed()) {
          decodeOffLoop(msg.getWriteOffset(), msg.getData());
        } else {
          synchronized (partial) {
            if (msg.getWriteOffset() != partial.size()) {
              throw FarmException.invalidArgument("write_offset %d, expected %d", msg.getWriteOffset(), partial.size());
            }
            if (partial.size() + msg.getData().size() > name.digest().size()) {
              throw FarmException.invalidArgument("more bytes than the %d the digest declares", name.digest().size());
            }
            uploads.append(partial, msg.getData());
          }
        }
        finished = msg.getFinishWrite();
      } catch (Exception e) {
        fail(e);
      }
    }

    private void fail(Throwable e) {
      failed = true;
      // Only a partial this call created or resumed is dropped, never another call's.
      if (partial != null) {
        uploads.done(resource);
      }
      GrpcBindings.fail(call.response(), e);
    }

    private void decodeOffLoop(long offset, ByteString data) {
      call.pause();
      decoded = decoded.compose(v -> blocking.run(() -> decode(offset, data))).andThen(ar -> {
        if (failed) {
          return;
        }
        if (ar.failed()) {
          fail(ar.cause());
        } else {
          call.resume();
        }
      });
    }

    private Void decode(long offset, ByteString data) {
      synchronized (partial) {
        if (partial.released()) {
          throw FarmException.of(Code.ABORTED, "upload was dropped (expired or restarted)");
        }
        if (offset != partial.committed()) {
          throw FarmException.invalidArgument("write_offset %d, expected %d (compressed bytes so far)", offset, partial.committed());
        }
        long max = ZstdDecoder.maxCompressedBytes(name.digest().size());
        if (partial.committed() + data.size() > max) {
          throw FarmException.invalidArgument("more than %d compressed bytes for a blob of %d bytes", max, name.digest().size());
        }
        partial.decoder.feed(data, piece -> uploads.append(partial, piece));
        partial.received(data.size());
      }
      return null;
    }

    private void onEnd() {
      if (failed) {
        return;
      }
      if (resource == null || !finished) {
        failed = true; // the partial stays, to be resumed
        GrpcBindings.fail(call.response(), FarmException.invalidArgument("Write ended without finish_write"));
        return;
      }
      long committed;
      byte[] data;
      synchronized (partial) {
        if (name.compressed()) {
          try {
            partial.decoder.finish();
          } catch (FarmException e) {
            fail(e);
            return;
          }
        }
        committed = partial.committed();
        data = partial.bytes.toByteArray();
      }
      if (name.compressed() && data.length != name.digest().size()) {
        fail(FarmException.invalidArgument("zstd data decompresses to %d bytes, the digest declares %d", data.length, name.digest().size()));
        return;
      }
      blocking.runAsync(() -> cas.put(name.digest(), data)).onComplete(ar -> {
        uploads.done(resource);
        if (ar.failed()) {
          GrpcBindings.fail(call.response(), ar.cause());
        } else {
          // A finished compressed upload answers the blob's (uncompressed) size: Siso and the
          // remote-apis-sdks accept only that, and Bazel does since bazel#30000. Bazel 5 to 8
          // with --remote_cache_compression expect the compressed count (docs/benchmarks.md).
          call.response().end(WriteResponse.newBuilder().setCommittedSize(name.compressed() ? name.digest().size() : committed).build());
        }
      });
    }
  }
}
