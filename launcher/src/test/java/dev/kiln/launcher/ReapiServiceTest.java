package dev.kiln.launcher;

import static dev.kiln.launcher.ReapiClient.digest;
import static dev.kiln.launcher.ReapiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.BatchReadBlobsRequest;
import build.bazel.remote.execution.v2.BatchReadBlobsResponse;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.BatchUpdateBlobsResponse;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.DigestFunction;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.ExecuteOperationMetadata;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import build.bazel.remote.execution.v2.ExecutionStage;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.FindMissingBlobsRequest;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.GetCapabilitiesRequest;
import build.bazel.remote.execution.v2.GetTreeRequest;
import build.bazel.remote.execution.v2.GetTreeResponse;
import build.bazel.remote.execution.v2.ServerCapabilities;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import build.bazel.remote.execution.v2.WaitExecutionRequest;
import com.google.bytestream.QueryWriteStatusRequest;
import com.google.bytestream.QueryWriteStatusResponse;
import com.google.bytestream.ReadRequest;
import com.google.bytestream.ReadResponse;
import com.google.bytestream.WriteRequest;
import com.google.bytestream.WriteResponse;
import com.google.longrunning.Operation;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.PreconditionFailure;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every REAPI RPC and every bad input of the foundation issue, through the stock grpc-java
 * client, against a real embedded farm. After each test the server must still answer.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReapiServiceTest {
  private static EmbeddedFarm farm;
  private static ReapiClient client;

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 3, Duration.ofSeconds(1));
    client = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    farm.close();
  }

  @AfterEach
  void serverKeepsServing() {
    assertThat(client.capabilities.getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).hasCacheCapabilities()).isTrue();
  }

  private static void assertStatus(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }

  private static Digest badDigest() {
    return Digest.newBuilder().setHash("abc123").setSizeBytes(3).build();
  }

  // ---------------------------------------------------------------- capabilities

  @Test
  void capabilitiesSatisfyBazelAndTheSdk() {
    ServerCapabilities caps = client.capabilities.getCapabilities(GetCapabilitiesRequest.newBuilder().setInstanceName("any/instance").build());
    assertThat(caps.getCacheCapabilities().getDigestFunctionsList()).containsExactly(DigestFunction.Value.SHA256);
    assertThat(caps.getCacheCapabilities().getActionCacheUpdateCapabilities().getUpdateEnabled()).isTrue();
    assertThat(caps.getCacheCapabilities().getMaxBatchTotalSizeBytes()).isEqualTo(4L << 20);
    assertThat(caps.getExecutionCapabilities().getDigestFunction()).isEqualTo(DigestFunction.Value.SHA256);
    assertThat(caps.getExecutionCapabilities().getExecEnabled()).isTrue();
    assertThat(caps.getLowApiVersion().getMajor()).isEqualTo(2);
    assertThat(caps.getLowApiVersion().getMinor()).isZero();
    assertThat(caps.getHighApiVersion().getMinor()).isEqualTo(11);
  }

  // ---------------------------------------------------------------- CAS

  @Test
  void findMissingBatchUpdateAndBatchRead() {
    byte[] a = utf8("blob a " + UUID.randomUUID());
    byte[] absent = utf8("blob absent " + UUID.randomUUID());
    client.upload(a);
    assertThat(client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(a)).addBlobDigests(digest(absent)).build())
        .getMissingBlobDigestsList()).containsExactly(digest(absent));
    BatchReadBlobsResponse read = client.cas.batchReadBlobs(BatchReadBlobsRequest.newBuilder().addDigests(digest(a)).addDigests(digest(absent)).build());
    assertThat(read.getResponses(0).getData().toByteArray()).isEqualTo(a);
    assertThat(read.getResponses(0).getStatus().getCode()).isZero();
    assertThat(read.getResponses(1).getStatus().getCode()).isEqualTo(Code.NOT_FOUND_VALUE);
  }

  @Test
  void batchUpdateWithBytesThatDoNotMatchIsRefusedPerBlobAndNothingIsStored() {
    byte[] claimed = utf8("claimed " + UUID.randomUUID());
    BatchUpdateBlobsResponse resp = client.cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(claimed)).setData(ByteString.copyFromUtf8("other bytes"))).build());
    assertThat(resp.getResponses(0).getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    assertThat(client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(claimed)).build())
        .getMissingBlobDigestsList()).containsExactly(digest(claimed));
  }

  @Test
  void malformedDigestsAreInvalidArgument() {
    assertStatus(() -> client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(badDigest()).build()), Status.Code.INVALID_ARGUMENT);
    assertStatus(() -> client.ac.getActionResult(GetActionResultRequest.newBuilder().setActionDigest(badDigest()).build()), Status.Code.INVALID_ARGUMENT);
    assertStatus(() -> client.execute(badDigest(), false), Status.Code.INVALID_ARGUMENT);
    Digest upper = Digest.newBuilder().setHash(digest(utf8("x")).getHash().toUpperCase()).setSizeBytes(1).build();
    assertStatus(() -> client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(upper).build()), Status.Code.INVALID_ARGUMENT);
    assertStatus(() -> client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().setDigestFunction(DigestFunction.Value.BLAKE3)
        .addBlobDigests(digest(utf8("x"))).build()), Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void batchOverTheAdvertisedLimitIsInvalidArgument() {
    byte[] big = new byte[(4 << 20) + 1];
    assertStatus(() -> client.cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(big)).setData(ByteString.copyFrom(big))).build()),
        Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void oversizeMessagesAreResourceExhausted() {
    byte[] huge = new byte[40 << 20];
    assertStatus(() -> client.cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder()
        .addRequests(BatchUpdateBlobsRequest.Request.newBuilder().setDigest(digest(huge)).setData(ByteString.copyFrom(huge))).build()),
        Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void malformedProtobufIsRefusedAndTheServerKeepsServing() throws Exception {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("build.bazel.remote.execution.v2.ContentAddressableStorage/FindMissingBlobs")
        .setRequestMarshaller(new Bytes()).setResponseMarshaller(new Bytes()).build();
    ClientCall<byte[], byte[]> call = client.channel.newCall(raw, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(call, new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x12}))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.INTERNAL));
  }

  @Test
  void getTreeReturnsEveryDirectory() {
    byte[] file = utf8("leaf " + UUID.randomUUID());
    Directory leaf = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("f").setDigest(digest(file))).build();
    Directory root = Directory.newBuilder().addDirectories(DirectoryNode.newBuilder().setName("sub").setDigest(digest(leaf))).build();
    client.upload(file, leaf.toByteArray(), root.toByteArray());
    List<Directory> dirs = new ArrayList<>();
    client.cas.getTree(GetTreeRequest.newBuilder().setRootDigest(digest(root)).build()).forEachRemaining(r -> dirs.addAll(r.getDirectoriesList()));
    assertThat(dirs).containsExactly(root, leaf);
    Iterator<GetTreeResponse> missing = client.cas.getTree(GetTreeRequest.newBuilder().setRootDigest(digest(utf8("no such dir " + UUID.randomUUID()))).build());
    assertStatus(missing::next, Status.Code.NOT_FOUND);
  }

  // ---------------------------------------------------------------- ByteStream

  private static String uploadName(byte[] data) {
    Digest d = digest(data);
    return "main/uploads/" + UUID.randomUUID() + "/blobs/" + d.getHash() + "/" + d.getSizeBytes();
  }

  private static WriteResponse write(String resource, byte[] data, int from, int to, boolean finish, boolean cancelAtEnd) throws Exception {
    CompletableFuture<WriteResponse> done = new CompletableFuture<>();
    StreamObserver<WriteRequest> out = client.byteStreamAsync.write(new StreamObserver<>() {
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
    for (int pos = from; pos < to; pos += 16 * 1024) {
      int end = Math.min(to, pos + 16 * 1024);
      WriteRequest.Builder req = WriteRequest.newBuilder().setWriteOffset(pos).setData(ByteString.copyFrom(data, pos, end - pos))
          .setFinishWrite(finish && end == to);
      if (pos == from) {
        req.setResourceName(resource);
      }
      out.onNext(req.build());
    }
    if (cancelAtEnd) {
      Thread.sleep(300);
      out.onError(Status.CANCELLED.asRuntimeException());
      return null;
    }
    out.onCompleted();
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void byteStreamWriteThenReadWithOffsetAndLimit() throws Exception {
    byte[] data = new byte[1 << 20];
    new java.util.Random(7).nextBytes(data);
    assertThat(write(uploadName(data), data, 0, data.length, true, false).getCommittedSize()).isEqualTo(data.length);
    Digest d = digest(data);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    client.byteStream.read(ReadRequest.newBuilder().setResourceName("main/blobs/" + d.getHash() + "/" + d.getSizeBytes()).build())
        .forEachRemaining(r -> all.writeBytes(r.getData().toByteArray()));
    assertThat(all.toByteArray()).isEqualTo(data);
    ByteArrayOutputStream part = new ByteArrayOutputStream();
    client.byteStream.read(ReadRequest.newBuilder().setResourceName("/blobs/" + d.getHash() + "/" + d.getSizeBytes())
        .setReadOffset(100).setReadLimit(1000).build()).forEachRemaining(r -> part.writeBytes(r.getData().toByteArray()));
    assertThat(part.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 1100));
  }

  @Test
  void byteStreamWriteWithWrongBytesIsInvalidArgumentAndNotStored() {
    byte[] claimed = utf8("claimed stream " + UUID.randomUUID());
    byte[] sent = utf8("another stream " + UUID.randomUUID()).clone();
    byte[] same = java.util.Arrays.copyOf(sent, claimed.length);
    assertThatThrownBy(() -> write(uploadName(claimed), same, 0, same.length, true, false))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(client.cas.findMissingBlobs(FindMissingBlobsRequest.newBuilder().addBlobDigests(digest(claimed)).build())
        .getMissingBlobDigestsCount()).isEqualTo(1);
  }

  @Test
  void interruptedWriteResumesFromQueryWriteStatus() throws Exception {
    byte[] data = new byte[200_000];
    new java.util.Random(11).nextBytes(data);
    String resource = uploadName(data);
    write(resource, data, 0, 100_000, false, true);
    QueryWriteStatusResponse status = null;
    for (int i = 0; i < 50; i++) {
      status = client.byteStream.queryWriteStatus(QueryWriteStatusRequest.newBuilder().setResourceName(resource).build());
      if (status.getCommittedSize() == 100_000) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(status.getCommittedSize()).isEqualTo(100_000);
    assertThat(status.getComplete()).isFalse();
    assertThat(write(resource, data, 100_000, data.length, true, false).getCommittedSize()).isEqualTo(data.length);
    assertThat(client.byteStream.queryWriteStatus(QueryWriteStatusRequest.newBuilder().setResourceName(resource).build()).getComplete()).isTrue();
  }

  @Test
  void byteStreamReadErrors() {
    Digest absent = digest(utf8("never written " + UUID.randomUUID()));
    assertStatus(() -> client.byteStream.read(ReadRequest.newBuilder()
        .setResourceName("blobs/" + absent.getHash() + "/" + absent.getSizeBytes()).build()).next(), Status.Code.NOT_FOUND);
    byte[] data = utf8("short " + UUID.randomUUID());
    client.upload(data);
    Digest d = digest(data);
    assertStatus(() -> client.byteStream.read(ReadRequest.newBuilder().setResourceName("blobs/" + d.getHash() + "/" + d.getSizeBytes())
        .setReadOffset(d.getSizeBytes() + 1).build()).next(), Status.Code.OUT_OF_RANGE);
    assertStatus(() -> client.byteStream.read(ReadRequest.newBuilder().setResourceName("not/a/resource").build()).next(), Status.Code.INVALID_ARGUMENT);
  }

  // ---------------------------------------------------------------- action cache

  @Test
  void actionCacheMissUpdateAndHit() {
    Digest action = digest(utf8("client-built action " + UUID.randomUUID()));
    assertStatus(() -> client.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(action).build()), Status.Code.NOT_FOUND);
    byte[] out = utf8("output " + UUID.randomUUID());
    client.upload(out);
    ActionResult result = ActionResult.newBuilder().setExitCode(0)
        .addOutputFiles(build.bazel.remote.execution.v2.OutputFile.newBuilder().setPath("out.o").setDigest(digest(out))).build();
    assertThat(client.ac.updateActionResult(UpdateActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(action).setActionResult(result).build()))
        .isEqualTo(result);
    assertThat(client.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(action).build())).isEqualTo(result);
    assertStatus(() -> client.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("other").setActionDigest(action).build()), Status.Code.NOT_FOUND);
  }

  @Test
  void actionCacheHitWhoseOutputsAreGoneIsAMiss() {
    Digest action = digest(utf8("dangling action " + UUID.randomUUID()));
    Digest gone = digest(utf8("never uploaded output " + UUID.randomUUID()));
    client.ac.updateActionResult(UpdateActionResultRequest.newBuilder().setActionDigest(action).setActionResult(ActionResult.newBuilder()
        .addOutputFiles(build.bazel.remote.execution.v2.OutputFile.newBuilder().setPath("a.o").setDigest(gone))).build());
    assertStatus(() -> client.ac.getActionResult(GetActionResultRequest.newBuilder().setActionDigest(action).build()), Status.Code.NOT_FOUND);
  }

  // ---------------------------------------------------------------- execution

  @Test
  void executeRunsInTheSandboxReportsMetadataAndIsCached() {
    String marker = UUID.randomUUID().toString();
    byte[] input = utf8("input " + marker + "\n");
    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("in.txt").setDigest(digest(input))).build();
    client.upload(input);
    Digest action = client.action(root, List.of("out/result.txt"), false, 0, "/bin/sh", "-c", "cat in.txt > out/result.txt; echo to-stdout");
    List<Operation> ops = client.executeAll(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build());
    assertThat(ops.get(0).getName()).isNotEmpty();
    assertThat(ops.get(0).getDone()).isFalse();
    ExecuteResponse r = ReapiClient.response(ops.get(ops.size() - 1));
    assertThat(r.getCachedResult()).isFalse();
    assertThat(r.getResult().getExitCode()).isZero();
    assertThat(r.getResult().getOutputFiles(0).getPath()).isEqualTo("out/result.txt");
    assertThat(r.getResult().getOutputFiles(0).getDigest()).isEqualTo(digest(input));
    assertThat(readBlob(r.getResult().getStdoutDigest())).isEqualTo("to-stdout\n");
    ExecutedActionMetadata meta = r.getResult().getExecutionMetadata();
    assertThat(meta.getWorker()).startsWith("worker-");
    assertThat(List.of(meta.getQueuedTimestamp(), meta.getWorkerStartTimestamp(), meta.getInputFetchStartTimestamp(),
        meta.getInputFetchCompletedTimestamp(), meta.getExecutionStartTimestamp(), meta.getExecutionCompletedTimestamp(),
        meta.getOutputUploadStartTimestamp(), meta.getOutputUploadCompletedTimestamp(), meta.getWorkerCompletedTimestamp()))
        .allSatisfy(t -> assertThat(t.getSeconds()).isPositive());

    ExecuteResponse again = client.execute(action, false);
    assertThat(again.getCachedResult()).isTrue();
    assertThat(again.getResult().getOutputFilesList()).isEqualTo(r.getResult().getOutputFilesList());
    ExecuteResponse skipped = client.execute(action, true);
    assertThat(skipped.getCachedResult()).isFalse();
  }

  private static String readBlob(Digest d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (d.getSizeBytes() > 0) {
      client.byteStream.read(ReadRequest.newBuilder().setResourceName("blobs/" + d.getHash() + "/" + d.getSizeBytes()).build())
          .forEachRemaining((ReadResponse x) -> out.writeBytes(x.getData().toByteArray()));
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void sandboxHasNoNetworkAndAReadOnlyToolchain() {
    Digest action = client.action(Directory.getDefaultInstance(), List.of(), true, 0, "/bin/sh", "-c",
        "echo IFACES $(awk -F: 'NR>2 {gsub(/ /, \"\", $1); printf \"%s,\", $1}' /proc/net/dev); touch /usr/kiln-probe 2>&1 && echo WROTE-USR; true");
    ExecuteResponse r = client.execute(action, false);
    String out = readBlob(r.getResult().getStdoutDigest()) + readBlob(r.getResult().getStderrDigest());
    assertThat(out).contains("IFACES lo,\n").doesNotContain("WROTE-USR").contains("Read-only");
  }

  @Test
  void nonZeroExitIsANormalResponseWithStderrAndIsNotCached() {
    Digest action = client.action("/bin/sh", "-c", "echo broken-compile >&2; exit 3 # " + UUID.randomUUID());
    ExecuteResponse r = client.execute(action, false);
    assertThat(r.getStatus().getCode()).isZero();
    assertThat(r.getResult().getExitCode()).isEqualTo(3);
    assertThat(readBlob(r.getResult().getStderrDigest())).isEqualTo("broken-compile\n");
    assertStatus(() -> client.ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName("main").setActionDigest(action).build()), Status.Code.NOT_FOUND);
  }

  @Test
  void missingInputsAreFailedPreconditionWithMissingViolations() {
    Digest ghost = digest(utf8("not uploaded " + UUID.randomUUID()));
    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("a.c").setDigest(ghost)).build();
    Digest action = client.action(root, List.of(), false, 0, "/bin/true");
    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> client.execute(action, false));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status.getDetailsList()).hasSize(1);
    PreconditionFailure failure;
    try {
      failure = status.getDetails(0).unpack(PreconditionFailure.class);
    } catch (Exception x) {
      throw new AssertionError(x);
    }
    assertThat(failure.getViolationsList()).singleElement().satisfies(v -> {
      assertThat(v.getType()).isEqualTo("MISSING");
      assertThat(v.getSubject()).isEqualTo("blobs/" + ghost.getHash() + "/" + ghost.getSizeBytes());
    });
    Digest noSuchAction = digest(utf8("action never uploaded " + UUID.randomUUID()));
    assertStatus(() -> client.execute(noSuchAction, false), Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void nonCanonicalDirectoriesAreInvalidArgument() {
    for (String bad : List.of("..", ".", "a/b")) {
      Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName(bad).setDigest(digest(new byte[0]))).build();
      Digest action = client.action(root, List.of(), false, 0, "/bin/true");
      assertStatus(() -> client.execute(action, false), Status.Code.INVALID_ARGUMENT);
    }
    Directory unsorted = Directory.newBuilder()
        .addFiles(FileNode.newBuilder().setName("b").setDigest(digest(new byte[0])))
        .addFiles(FileNode.newBuilder().setName("a").setDigest(digest(new byte[0]))).build();
    assertStatus(() -> client.execute(client.action(unsorted, List.of(), false, 0, "/bin/true"), false), Status.Code.INVALID_ARGUMENT);
    Directory dup = Directory.newBuilder()
        .addFiles(FileNode.newBuilder().setName("a").setDigest(digest(new byte[0])))
        .addFiles(FileNode.newBuilder().setName("a").setDigest(digest(new byte[0]))).build();
    assertStatus(() -> client.execute(client.action(dup, List.of(), false, 0, "/bin/true"), false), Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void outputPathsEscapingTheExecRootAreInvalidArgument() {
    for (String out : List.of("../escape.o", "/tmp/abs.o", "a/../../b.o")) {
      Digest action = client.action(Directory.getDefaultInstance(), List.of(out), false, 0, "/bin/true");
      assertStatus(() -> client.execute(action, false), Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void timeoutKillsTheActionWithDeadlineExceeded() {
    Digest action = client.action(Directory.getDefaultInstance(), List.of(), false, 1, "/bin/sh", "-c", "echo started; sleep 30 # " + UUID.randomUUID());
    long start = System.nanoTime();
    ExecuteResponse r = client.execute(action, false);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
    assertThat(r.hasResult()).isTrue();
    assertThat(readBlob(r.getResult().getStdoutDigest())).isEqualTo("started\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void identicalActionsInFlightRunOnceAndEveryWaiterGetsTheResult() throws Exception {
    Digest action = client.action(Directory.getDefaultInstance(), List.of("t.txt"), false, 0, "/bin/sh", "-c",
        "sleep 2; date +%s%N > t.txt # " + UUID.randomUUID());
    List<CompletableFuture<List<Operation>>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> client.executeAll(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build())));
    }
    List<List<Operation>> results = new ArrayList<>();
    for (CompletableFuture<List<Operation>> f : runs) {
      results.add(f.get(120, TimeUnit.SECONDS));
    }
    assertThat(results.stream().map(ops -> ops.get(0).getName()).distinct()).hasSize(1);
    assertThat(results.stream().map(ops -> ReapiClient.response(ops.get(ops.size() - 1)).getResult().getOutputFiles(0).getDigest()).distinct()).hasSize(1);
  }

  @Test
  void longActionsGetStageAndKeepaliveUpdatesAndWaitExecutionReattaches() throws Exception {
    Digest action = client.action(Directory.getDefaultInstance(), List.of(), false, 0, "/bin/sh", "-c", "sleep 3 # " + UUID.randomUUID());
    Iterator<Operation> stream = client.execution.execute(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action).build());
    Operation first = stream.next();
    List<ExecutionStage.Value> stages = new ArrayList<>();
    CountDownLatch reattached = new CountDownLatch(1);
    List<Operation> viaWait = new ArrayList<>();
    Thread waiter = new Thread(() -> {
      client.execution.waitExecution(WaitExecutionRequest.newBuilder().setName(first.getName()).build()).forEachRemaining(viaWait::add);
      reattached.countDown();
    });
    waiter.start();
    int updates = 1;
    Operation last = first;
    while (stream.hasNext()) {
      last = stream.next();
      updates++;
      stages.add(last.getMetadata().unpack(ExecuteOperationMetadata.class).getStage());
    }
    assertThat(last.getDone()).isTrue();
    assertThat(stages).contains(ExecutionStage.Value.EXECUTING, ExecutionStage.Value.COMPLETED);
    assertThat(updates).isGreaterThanOrEqualTo(4);
    assertThat(reattached.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(viaWait.get(viaWait.size() - 1).getDone()).isTrue();
    List<Operation> afterwards = new ArrayList<>();
    client.execution.waitExecution(WaitExecutionRequest.newBuilder().setName(first.getName()).build()).forEachRemaining(afterwards::add);
    assertThat(afterwards).singleElement().satisfies(op -> assertThat(op.getDone()).isTrue());
  }

  @Test
  void waitExecutionOnAnUnknownOperationIsNotFound() {
    assertStatus(() -> client.execution.waitExecution(WaitExecutionRequest.newBuilder().setName("operations/" + UUID.randomUUID()).build()).next(),
        Status.Code.NOT_FOUND);
  }

  /** Sends raw bytes, for malformed-protobuf tests. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

}
