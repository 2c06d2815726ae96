package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.BatchReadBlobsResponse;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.CacheCapabilities;
import build.bazel.remote.execution.v2.CapabilitiesGrpc;
import build.bazel.remote.execution.v2.Compressor;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import build.bazel.remote.execution.v2.GetCapabilitiesRequest;
import com.github.luben.zstd.Zstd;
import com.google.bytestream.ByteStreamGrpc;
import com.google.bytestream.QueryWriteStatusRequest;
import com.google.bytestream.ReadRequest;
import com.google.bytestream.WriteRequest;
import com.google.bytestream.WriteResponse;
import com.google.protobuf.ByteString;
import dev.kiln.common.Hashing;
import dev.kiln.scheduler.FrontDoorLimits;
import dev.kiln.scheduler.TestFrontNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REAPI compressed blobs (zstd) against a real front node through the stock grpc-java client:
 * ByteStream compressed-blobs reads and writes, compressed batches, and what a hostile client
 * sends (corrupt streams, bombs, lying digests) refused without storing anything.
 */
class ZstdBlobsTest {
  private static final long MAX_BLOB = 8L << 20;
  private static final long MAX_MESSAGE = 6L << 20;
  private static TestFrontNode front;
  private static ManagedChannel channel;
  private static ContentAddressableStorageGrpc.ContentAddressableStorageBlockingStub cas;
  private static ByteStreamGrpc.ByteStreamStub byteStream;
  private static ByteStreamGrpc.ByteStreamBlockingStub byteStreamBlocking;

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config().withSizes(MAX_BLOB, MAX_MESSAGE)
        .withLimits(FrontDoorLimits.defaults().withUploadBudgetBytes(64L << 20)));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    cas = ContentAddressableStorageGrpc.newBlockingStub(channel);
    byteStream = ByteStreamGrpc.newStub(channel);
    byteStreamBlocking = ByteStreamGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    front.close();
  }

  @AfterEach
  void serverKeepsServingIdentity() {
    byte[] blob = UUID.randomUUID().toString().getBytes();
    cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(BatchUpdateBlobsRequest.Request.newBuilder()
        .setDigest(digest(blob)).setData(ByteString.copyFrom(blob))).build());
    assertThat(read("blobs/" + digest(blob).getHash() + "/" + blob.length, 0, 0)).isEqualTo(blob);
  }

  // ---------------------------------------------------------------- helpers

  static Digest digest(byte[] data) {
    return Digest.newBuilder().setHash(Hashing.sha256Hex(data)).setSizeBytes(data.length).build();
  }

  /** Compressible, distinct per call: text-like lines with a random tag. */
  private static byte[] blob(int size) {
    StringBuilder sb = new StringBuilder(UUID.randomUUID().toString());
    Random r = new Random(size);
    while (sb.length() < size) {
      sb.append("line ").append(r.nextInt(1000)).append(" of a build output\n");
    }
    return sb.substring(0, size).getBytes();
  }

  /** One zstd frame per {@code frame} bytes, concatenated (as Bazel 5's writer does). */
  private static byte[] framed(byte[] data, int frame) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int pos = 0; pos < data.length; pos += frame) {
      out.writeBytes(Zstd.compress(Arrays.copyOfRange(data, pos, Math.min(data.length, pos + frame))));
    }
    return out.toByteArray();
  }

  private static String uploadName(Digest d) {
    return "main/uploads/" + UUID.randomUUID() + "/compressed-blobs/zstd/" + d.getHash() + "/" + d.getSizeBytes();
  }

  private static byte[] read(String name, long offset, long limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byteStreamBlocking.read(ReadRequest.newBuilder().setResourceName(name).setReadOffset(offset).setReadLimit(limit).build())
        .forEachRemaining(r -> out.writeBytes(r.getData().toByteArray()));
    return out.toByteArray();
  }

  private static boolean missing(byte[] blob) {
    return cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(blob)).build()).getMissingBlobDigestsCount() == 1;
  }

  /** A Write call whose messages the test sends one by one. */
  private static final class Writer {
    final CompletableFuture<WriteResponse> done = new CompletableFuture<>();
    final StreamObserver<WriteRequest> requests = byteStream.write(new StreamObserver<>() {
      @Override
      public void onNext(WriteResponse value) {
        done.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    final String name;
    final byte[] data;
    long offset;

    Writer(String name, byte[] data) {
      this.name = name;
      this.data = data;
    }

    /** Sends the next {@code bytes} of data in messages of {@code per} bytes. */
    Writer send(int bytes, int per, boolean finish) {
      int end = (int) offset + bytes;
      do {
        int n = Math.min(per, end - (int) offset);
        boolean last = finish && offset + n == end;
        requests.onNext(WriteRequest.newBuilder().setResourceName(name).setWriteOffset(offset)
            .setData(ByteString.copyFrom(data, (int) offset, n)).setFinishWrite(last).build());
        offset += n;
      } while (offset < end);
      if (finish) {
        requests.onCompleted();
      }
      return this;
    }

    WriteResponse result() throws Exception {
      return done.get(60, TimeUnit.SECONDS);
    }

    Status status() {
      assertThatThrownBy(() -> done.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class);
      return Status.fromThrowable(done.handle((v, e) -> e).join());
    }
  }

  private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(messagePart);
    });
  }

  // ---------------------------------------------------------------- capabilities

  @Test
  void capabilitiesAdvertiseZstdForByteStreamAndBatches() {
    CacheCapabilities caps = CapabilitiesGrpc.newBlockingStub(channel).getCapabilities(GetCapabilitiesRequest.getDefaultInstance())
        .getCacheCapabilities();
    assertThat(caps.getSupportedCompressorsList()).containsExactly(Compressor.Value.ZSTD);
    assertThat(caps.getSupportedBatchUpdateCompressorsList()).containsExactly(Compressor.Value.ZSTD);
  }

  // ---------------------------------------------------------------- ByteStream

  @Test
  void multiMessageCompressedWriteOfConcatenatedFramesRoundTrips() throws Exception {
    byte[] blob = blob(700_000);
    Digest d = digest(blob);
    byte[] z = framed(blob, 16 << 10);
    // message boundaries (7000 bytes) do not line up with frame boundaries
    WriteResponse resp = new Writer(uploadName(d), z).send(z.length, 7000, true).result();
    assertThat(resp.getCommittedSize()).as("a finished compressed write answers the blob's size").isEqualTo(blob.length);

    String hashSize = d.getHash() + "/" + d.getSizeBytes();
    assertThat(read("main/blobs/" + hashSize, 0, 0)).as("stored uncompressed").isEqualTo(blob);
    byte[] served = read("main/compressed-blobs/zstd/" + hashSize, 0, 0);
    assertThat(served.length).isLessThan(blob.length);
    assertThat(Zstd.decompress(served, blob.length)).isEqualTo(blob);
    byte[] tail = read("main/compressed-blobs/zstd/" + hashSize, 123_457, 0);
    assertThat(Zstd.decompress(tail, blob.length)).as("read_offset counts uncompressed bytes")
        .isEqualTo(Arrays.copyOfRange(blob, 123_457, blob.length));
    assertThat(Zstd.decompress(read("main/compressed-blobs/zstd/" + hashSize, blob.length, 0), 1)).isEmpty();
    assertStatus(() -> read("main/compressed-blobs/zstd/" + hashSize, 0, 10), Status.Code.INVALID_ARGUMENT, "read_limit");
    assertStatus(() -> read("main/compressed-blobs/zstd/" + hashSize, blob.length + 1, 0), Status.Code.OUT_OF_RANGE, "read_offset");
    // identity reads with offset and limit are unchanged
    assertThat(read("main/blobs/" + hashSize, 10, 20)).isEqualTo(Arrays.copyOfRange(blob, 10, 30));
  }

  @Test
  void anUncompressedUploadIsServedCompressed() {
    byte[] blob = blob(200_000);
    cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(BatchUpdateBlobsRequest.Request.newBuilder()
        .setDigest(digest(blob)).setData(ByteString.copyFrom(blob))).build());
    byte[] z = read("compressed-blobs/zstd/" + digest(blob).getHash() + "/" + blob.length, 0, 0);
    assertThat(Zstd.decompress(z, blob.length)).isEqualTo(blob);
    assertStatus(() -> read("compressed-blobs/zstd/" + digest(blob(10)).getHash() + "/10", 0, 0), Status.Code.NOT_FOUND, "not in the CAS");
  }

  @Test
  void otherCompressorsAreRefusedByName() {
    byte[] blob = blob(1000);
    String hashSize = digest(blob).getHash() + "/" + blob.length;
    assertStatus(() -> read("compressed-blobs/deflate/" + hashSize, 0, 0), Status.Code.INVALID_ARGUMENT, "'deflate'");
    Writer w = new Writer("uploads/" + UUID.randomUUID() + "/compressed-blobs/brotli/" + hashSize, blob).send(blob.length, 1 << 20, true);
    assertThat(w.status().getDescription()).contains("'brotli'");
  }

  @Test
  void aCutOffCompressedWriteIsResumedFromQueryWriteStatus() throws Exception {
    byte[] blob = blob(300_000);
    byte[] z = framed(blob, 16 << 10);
    String name = uploadName(digest(blob));
    Writer first = new Writer(name, z).send(z.length / 2, 5000, false);
    long committed = -1;
    for (int i = 0; i < 1000 && committed != first.offset; i++) {
      try {
        committed = byteStreamBlocking.queryWriteStatus(QueryWriteStatusRequest.newBuilder().setResourceName(name).build()).getCommittedSize();
      } catch (io.grpc.StatusRuntimeException e) {
        // NOT_FOUND until the first message has reached the server
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      }
      Thread.sleep(10);
    }
    assertThat(committed).as("compressed bytes committed").isEqualTo(first.offset);
    first.requests.onError(Status.CANCELLED.asRuntimeException());

    Writer second = new Writer(name, z);
    second.offset = committed;
    assertThat(second.send(z.length - (int) committed, 5000, true).result().getCommittedSize()).isEqualTo(blob.length);
    assertThat(read("blobs/" + digest(blob).getHash() + "/" + blob.length, 0, 0)).isEqualTo(blob);
    assertThat(byteStreamBlocking.queryWriteStatus(QueryWriteStatusRequest.newBuilder().setResourceName(name).build()).getComplete()).isTrue();
  }

  @Test
  void aCorruptStreamIsInvalidArgumentAndNothingIsStored() {
    byte[] blob = blob(100_000);
    byte[] z = Zstd.compress(blob);
    for (int i = 20; i < z.length - 20; i += 7) {
      z[i] ^= 0x5a;
    }
    Writer w = new Writer(uploadName(digest(blob)), z).send(z.length, 4000, true);
    assertThat(w.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing(blob)).isTrue();
  }

  @Test
  void aTruncatedStreamIsInvalidArgument() {
    byte[] blob = blob(100_000);
    byte[] z = Zstd.compress(blob);
    Writer w = new Writer(uploadName(digest(blob)), Arrays.copyOf(z, z.length - 10)).send(z.length - 10, 4000, true);
    assertThat(w.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing(blob)).isTrue();
  }

  @Test
  void aZstdBombIsRefusedAtTheDeclaredSize() {
    byte[] zeros = new byte[64 << 20]; // 64 MiB of zeros: a few KiB compressed
    byte[] bomb = Zstd.compress(zeros);
    assertThat(bomb.length).isLessThan(64 << 10);
    byte[] claimed = new byte[1 << 20];
    Writer w = new Writer(uploadName(digest(claimed)), bomb).send(bomb.length, 1 << 20, true);
    Status s = w.status();
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("more than the " + claimed.length + " bytes");
    assertThat(missing(claimed)).isTrue();

    Digest huge = Digest.newBuilder().setHash(Hashing.sha256Hex(zeros)).setSizeBytes(zeros.length).build();
    Writer declaredHuge = new Writer("uploads/" + UUID.randomUUID() + "/compressed-blobs/zstd/" + huge.getHash() + "/" + huge.getSizeBytes(), bomb)
        .send(bomb.length, 1 << 20, true);
    assertThat(declaredHuge.status().getDescription()).contains("over the CAS limit of " + MAX_BLOB);
  }

  @Test
  void aDigestMismatchAfterDecompressionIsInvalidArgument() {
    byte[] blob = blob(50_000);
    byte[] other = blob(50_000);
    byte[] z = Zstd.compress(other);
    Writer w = new Writer(uploadName(digest(blob)), z).send(z.length, 1 << 20, true);
    assertThat(w.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(missing(blob)).isTrue();
    assertThat(missing(other)).isTrue();

    byte[] shorter = Zstd.compress(Arrays.copyOf(blob, 49_999));
    Writer w2 = new Writer(uploadName(digest(blob)), shorter).send(shorter.length, 1 << 20, true);
    assertThat(w2.status().getDescription()).contains("decompresses to 49999 bytes");
  }

  // ---------------------------------------------------------------- batches

  @Test
  void compressedBatchesRoundTripAndIdentityIsUnchanged() {
    byte[] a = blob(40_000);
    byte[] b = blob(3);
    var resp = cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(a)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(framed(a, 16 << 10))))
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(b)).setData(ByteString.copyFrom(b)))
        .build());
    assertThat(resp.getResponsesList()).allSatisfy(r -> assertThat(r.getStatus().getCode()).isZero());

    List<BatchReadBlobsResponse.Response> zstd = cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder()
        .addDigests(digest(a)).addDigests(digest(b)).addAcceptableCompressors(Compressor.Value.ZSTD).build()).getResponsesList();
    assertThat(zstd).allSatisfy(r -> assertThat(r.getCompressor()).isEqualTo(Compressor.Value.ZSTD));
    assertThat(Zstd.decompress(zstd.get(0).getData().toByteArray(), a.length)).isEqualTo(a);
    assertThat(zstd.get(0).getData().size()).isLessThan(a.length);
    assertThat(Zstd.decompress(zstd.get(1).getData().toByteArray(), b.length)).isEqualTo(b);

    List<BatchReadBlobsResponse.Response> plain = cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder()
        .addDigests(digest(a)).addAcceptableCompressors(Compressor.Value.DEFLATE).build()).getResponsesList();
    assertThat(plain.get(0).getCompressor()).isEqualTo(Compressor.Value.IDENTITY);
    assertThat(plain.get(0).getData().toByteArray()).isEqualTo(a);
  }

  @Test
  void badCompressedBatchEntriesFailAloneWithInvalidArgument() {
    byte[] good = blob(10_000);
    byte[] corrupt = blob(10_000);
    byte[] bombClaim = new byte[100_000];
    byte[] mismatch = blob(10_000);
    byte[] deflated = blob(100);
    byte[] zc = Zstd.compress(corrupt);
    zc[zc.length / 2] ^= 0x33;
    zc[zc.length / 2 + 1] ^= 0x33;
    var resp = cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(good)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(Zstd.compress(good))))
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(corrupt)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(zc)))
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(bombClaim)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(Zstd.compress(new byte[64 << 20]))))
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(mismatch)).setCompressor(Compressor.Value.ZSTD)
            .setData(ByteString.copyFrom(Zstd.compress(blob(10_000)))))
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(deflated)).setCompressor(Compressor.Value.DEFLATE)
            .setData(ByteString.copyFrom(deflated)))
        .build());
    assertThat(resp.getResponses(0).getStatus().getCode()).isZero();
    for (int i = 1; i < 5; i++) {
      assertThat(resp.getResponses(i).getStatus().getCode()).as("entry " + i).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    }
    assertThat(resp.getResponses(2).getStatus().getMessage()).contains("more than the 100000 bytes");
    assertThat(resp.getResponses(4).getStatus().getMessage()).contains("DEFLATE");
    assertThat(missing(good)).isFalse();
    assertThat(missing(corrupt)).isTrue();
    assertThat(missing(bombClaim)).isTrue();
    assertThat(missing(mismatch)).isTrue();
  }
}
