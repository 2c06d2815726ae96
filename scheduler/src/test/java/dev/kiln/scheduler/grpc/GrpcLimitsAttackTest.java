package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.CapabilitiesGrpc;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import build.bazel.remote.execution.v2.GetCapabilitiesRequest;
import build.bazel.remote.execution.v2.GetTreeRequest;
import build.bazel.remote.execution.v2.GetTreeResponse;
import com.google.bytestream.ByteStreamGrpc;
import com.google.bytestream.QueryWriteStatusRequest;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oversized REAPI requests against a real front node with small limits, through the stock
 * grpc-java client: each gets its precise status naming the limit, and the server keeps serving.
 */
class GrpcLimitsAttackTest {
  private static final long MAX_MESSAGE = 6L << 20;
  private static final long MAX_BLOB = 4L << 20;
  private static final long BUDGET = 1L << 20;
  private static TestFrontNode front;
  private static ManagedChannel channel;
  private static ContentAddressableStorageGrpc.ContentAddressableStorageBlockingStub cas;
  private static ByteStreamGrpc.ByteStreamStub byteStream;
  private static ByteStreamGrpc.ByteStreamBlockingStub byteStreamBlocking;

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config().withSizes(MAX_BLOB, MAX_MESSAGE)
        .withLimits(FrontDoorLimits.defaults().withRequestCounts(100, 10, 5).withUploadBudgetBytes(BUDGET)));
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
  void serverKeepsServing() {
    assertThat(CapabilitiesGrpc.newBlockingStub(channel).getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).hasCacheCapabilities()).isTrue();
    byte[] blob = UUID.randomUUID().toString().getBytes();
    cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(request(blob)).build());
    assertThat(cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(blob)).build()).getMissingBlobDigestsCount()).isZero();
  }

  static Digest digest(byte[] data) {
    return Digest.newBuilder().setHash(Hashing.sha256Hex(data)).setSizeBytes(data.length).build();
  }

  private static BatchUpdateBlobsRequest.Request request(byte[] data) {
    return BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(data)).setData(ByteString.copyFrom(data)).build();
  }

  private static void assertStatus(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(messagePart);
    });
  }

  private static byte[] distinct(int i) {
    return ("blob " + i + " " + UUID.randomUUID()).getBytes();
  }

  // ---------------------------------------------------------------- gzip

  @Test
  void gzipBombOverTheMessageLimitIsResourceExhausted() {
    byte[] zeros = new byte[8 << 20];
    BatchUpdateBlobsRequest bomb = BatchUpdateBlobsRequest.newBuilder().addRequests(request(zeros)).build();
    assertStatus(() -> cas.withCompression("gzip").batchUpdateBlobs(bomb), Status.Code.RESOURCE_EXHAUSTED, "limit of " + MAX_MESSAGE);
    byte[] small = distinct(0);
    assertThat(cas.withCompression("gzip").batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(request(small)).build())
        .getResponses(0).getStatus().getCode()).isZero();
  }

  // ---------------------------------------------------------------- request sizes

  @Test
  void findMissingOverTheDigestCountIsInvalidArgument() {
    FindMissingBlobsRequest.Builder req = FindMissingBlobsRequest.newBuilder();
    for (int i = 0; i < 101; i++) {
      req.addBlobDigests(digest(distinct(i)));
    }
    assertStatus(() -> cas.findMissingBlobs(req.build()), Status.Code.INVALID_ARGUMENT, "limit of 100");
    req.removeBlobDigests(100);
    assertThat(cas.findMissingBlobs(req.build()).getMissingBlobDigestsCount()).isEqualTo(100);
  }

  @Test
  void batchesOverTheBlobCountAreInvalidArgument() {
    BatchUpdateBlobsRequest.Builder update = BatchUpdateBlobsRequest.newBuilder();
    BatchReadBlobsRequest.Builder read = BatchReadBlobsRequest.newBuilder();
    for (int i = 0; i < 11; i++) {
      byte[] b = distinct(i);
      update.addRequests(request(b));
      read.addDigests(digest(b));
    }
    assertStatus(() -> cas.batchUpdateBlobs(update.build()), Status.Code.INVALID_ARGUMENT, "limit of 10");
    assertStatus(() -> cas.batchReadBlobs(read.build()), Status.Code.INVALID_ARGUMENT, "limit of 10");
    assertThat(cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addAllBlobDigests(read.getDigestsList()).build())
        .getMissingBlobDigestsCount()).as("nothing of the refused batch stored").isEqualTo(11);
  }

  @Test
  void batchesOverTheByteLimitAreInvalidArgument() {
    byte[] big = new byte[(4 << 20) + 1];
    assertStatus(() -> cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(request(big)).build()),
        Status.Code.INVALID_ARGUMENT, "max_batch_total_size_bytes " + (4 << 20));
    Digest lying = Digest.newBuilder().setHash(Hashing.sha256Hex(new byte[0]).replace('e', 'f')).setSizeBytes(1L << 40).build();
    assertStatus(() -> cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().addDigests(lying).build()),
        Status.Code.INVALID_ARGUMENT, "max_batch_total_size_bytes " + (4 << 20));
  }

  @Test
  void getTreePagesNeverExceedTheServersPageSize() {
    Directory.Builder root = Directory.newBuilder();
    BatchUpdateBlobsRequest.Builder upload = BatchUpdateBlobsRequest.newBuilder();
    for (int i = 0; i < 7; i++) {
      Directory child = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("f" + i + UUID.randomUUID())
          .setDigest(digest(new byte[0]))).build();
      upload.addRequests(request(child.toByteArray()));
      root.addDirectories(DirectoryNode.newBuilder().setName("d" + i).setDigest(digest(child.toByteArray())));
    }
    Directory r = root.build();
    upload.addRequests(request(r.toByteArray()));
    cas.batchUpdateBlobs(upload.build());
    Iterator<GetTreeResponse> pages = cas.getTree(GetTreeRequest.newBuilder().setRootDigest(digest(r.toByteArray())).setPageSize(1000).build());
    List<Directory> all = new ArrayList<>();
    int count = 0;
    while (pages.hasNext()) {
      GetTreeResponse page = pages.next();
      assertThat(page.getDirectoriesCount()).isLessThanOrEqualTo(5);
      all.addAll(page.getDirectoriesList());
      count++;
    }
    assertThat(all).hasSize(8);
    assertThat(count).isEqualTo(2);
    assertStatus(() -> cas.getTree(GetTreeRequest.newBuilder().setRootDigest(digest(r.toByteArray())).setPageToken("-5").build()).hasNext(),
        Status.Code.INVALID_ARGUMENT, "page_token");
  }

  // ---------------------------------------------------------------- ByteStream

  private static String uploadName(byte[] blob) {
    return "main/uploads/" + UUID.randomUUID() + "/blobs/" + Hashing.sha256Hex(blob) + "/" + blob.length;
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
    final byte[] blob;
    long offset;

    Writer(byte[] blob) {
      this.blob = blob;
      this.name = uploadName(blob);
    }

    void send(int bytes, boolean finish) {
      for (int sent = 0; sent < bytes; ) {
        int n = Math.min(64 << 10, bytes - sent);
        boolean last = finish && sent + n == bytes;
        requests.onNext(WriteRequest.newBuilder().setResourceName(offset == 0 ? name : "").setWriteOffset(offset)
            .setData(ByteString.copyFrom(blob, (int) offset, n)).setFinishWrite(last).build());
        offset += n;
        sent += n;
      }
      if (finish) {
        requests.onCompleted();
      }
    }

    long committed() {
      try {
        return byteStreamBlocking.queryWriteStatus(QueryWriteStatusRequest.newBuilder().setResourceName(name).build()).getCommittedSize();
      } catch (StatusRuntimeException e) {
        return -1;
      }
    }
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new java.util.Random(size).nextBytes(b);
    b[0] = (byte) UUID.randomUUID().hashCode();
    return b;
  }

  private static Status.Code failure(CompletableFuture<WriteResponse> done) {
    assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class);
    return Status.fromThrowable(done.handle((v, e) -> e).join()).getCode();
  }

  @Test
  void declaredSizeOverTheCasLimitIsRefusedAtTheFirstMessage() {
    Writer w = new Writer(new byte[16]);
    w.requests.onNext(WriteRequest.newBuilder().setResourceName("main/uploads/" + UUID.randomUUID() + "/blobs/"
        + Hashing.sha256Hex(new byte[16]) + "/" + (MAX_BLOB + 1)).setData(ByteString.copyFrom(new byte[16])).build());
    assertThat(failure(w.done)).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void dataBeyondTheDeclaredSizeIsRefused() {
    byte[] blob = random(1000);
    Writer w = new Writer(blob);
    w.requests.onNext(WriteRequest.newBuilder().setResourceName("main/uploads/" + UUID.randomUUID() + "/blobs/"
        + Hashing.sha256Hex(blob) + "/10").setData(ByteString.copyFrom(blob)).setFinishWrite(true).build());
    assertThat(failure(w.done)).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(blob)).build()).getMissingBlobDigestsCount()).isOne();
  }

  @Test
  void unfinishedWritesStayWithinTheMemoryBudget() throws Exception {
    Writer held = new Writer(random(768 << 10));
    held.send(512 << 10, false);
    while (held.committed() != 512 << 10) {
      Thread.sleep(10);
    }
    Writer over = new Writer(random(768 << 10));
    over.send(640 << 10, false);
    assertThat(failure(over.done)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    held.send(256 << 10, true);
    assertThat(held.done.get(30, TimeUnit.SECONDS).getCommittedSize()).isEqualTo(768 << 10);
    Writer after = new Writer(random(900 << 10));
    after.send(900 << 10, true);
    assertThat(after.done.get(30, TimeUnit.SECONDS).getCommittedSize()).as("the budget is released by finished writes").isEqualTo(900 << 10);
  }

  @Test
  void aZstdWriteDecodingPastTheMemoryBudgetIsResourceExhausted() {
    // 3 MiB of zeros: declared honestly, under the CAS limit, a few hundred bytes compressed,
    // but its decoded bytes would pass the 1 MiB upload budget
    byte[] zeros = new byte[3 << 20];
    byte[] z = com.github.luben.zstd.Zstd.compress(zeros);
    Writer w = new Writer(new byte[0]);
    w.requests.onNext(WriteRequest.newBuilder().setResourceName("main/uploads/" + UUID.randomUUID() + "/compressed-blobs/zstd/"
        + Hashing.sha256Hex(zeros) + "/" + zeros.length).setData(ByteString.copyFrom(z)).setFinishWrite(true).build());
    w.requests.onCompleted();
    assertThat(failure(w.done)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(zeros)).build()).getMissingBlobDigestsCount()).isOne();
  }
}
