package dev.kiln.scheduler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.ActionCacheGrpc;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.BatchUpdateBlobsRequest;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ContentAddressableStorageGrpc;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionGrpc;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.kiln.common.Futures;
import dev.kiln.common.Hashing;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.queue.ActionLease;
import dev.kiln.queue.ActionSource;
import dev.kiln.scheduler.TestFrontNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One instance namespace however the client spells it: "/x", "x" and "x/" are the same. */
class InstanceNamesEndpointTest {
  private static TestFrontNode front;
  private static ManagedChannel channel;
  private static ActionCacheGrpc.ActionCacheBlockingStub ac;
  private static ExecutionGrpc.ExecutionBlockingStub execution;
  private static ContentAddressableStorageGrpc.ContentAddressableStorageBlockingStub cas;

  @BeforeAll
  static void start() {
    front = new TestFrontNode(TestFrontNode.config());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().build();
    ac = ActionCacheGrpc.newBlockingStub(channel);
    execution = ExecutionGrpc.newBlockingStub(channel);
    cas = ContentAddressableStorageGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    front.close();
  }

  private static Digest digest(byte[] data) {
    return Digest.newBuilder().setHash(Hashing.sha256Hex(data)).setSizeBytes(data.length).build();
  }

  private static Digest upload(Message m) {
    byte[] data = m.toByteArray();
    cas.batchUpdateBlobs(BatchUpdateBlobsRequest.newBuilder().addRequests(BatchUpdateBlobsRequest.Request.newBuilder()
        .setDigest(digest(data)).setData(ByteString.copyFrom(data))).build());
    return digest(data);
  }

  private static Digest newAction() {
    Digest command = upload(Command.newBuilder().addArguments("/bin/echo").addArguments(UUID.randomUUID().toString()).build());
    Digest root = upload(Directory.getDefaultInstance());
    return upload(Action.newBuilder().setCommandDigest(command).setInputRootDigest(root).build());
  }

  private static ActionResult get(String instance, Digest action) {
    return ac.getActionResult(GetActionResultRequest.newBuilder().setInstanceName(instance).setActionDigest(action).build());
  }

  @Test
  void resultStoredUnderSlashXIsFoundUnderEverySpelling() throws Exception {
    Digest action = newAction();
    ActionResult result = ActionResult.newBuilder().setExitCode(0).setStdoutRaw(ByteString.copyFromUtf8("hi")).build();
    ac.updateActionResult(UpdateActionResultRequest.newBuilder().setInstanceName("/x").setActionDigest(action).setActionResult(result).build());
    assertThat(get("x", action).getStdoutRaw().toStringUtf8()).isEqualTo("hi");
    assertThat(get("/x", action).getStdoutRaw().toStringUtf8()).isEqualTo("hi");
    assertThat(get("x/", action).getStdoutRaw().toStringUtf8()).isEqualTo("hi");
    assertThatThrownBy(() -> get("y", action)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

    Iterator<Operation> ops = execution.withDeadlineAfter(30, TimeUnit.SECONDS)
        .execute(ExecuteRequest.newBuilder().setInstanceName("/x/").setActionDigest(action).build());
    Operation done = ops.next();
    assertThat(done.getDone()).isTrue();
    assertThat(done.getResponse().unpack(ExecuteResponse.class).getCachedResult()).isTrue();

    HttpResponse<byte[]> viaHttp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + front.port + "/x/ac/" + action.getHash())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(viaHttp.statusCode()).isEqualTo(200);
    assertThat(ActionResult.parseFrom(viaHttp.body())).isEqualTo(result);
  }

  @Test
  void executeUnderSlashXQueuesForInstanceX() throws Exception {
    Futures.await(front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId("w").setSlots(1).build()));
    Digest action = newAction();
    Iterator<Operation> ops = execution.withDeadlineAfter(30, TimeUnit.SECONDS)
        .execute(ExecuteRequest.newBuilder().setInstanceName("/q").setActionDigest(action).build());
    assertThat(ops.next().getDone()).isFalse();
    try (ActionSource source = front.queue.newSource()) {
      Optional<ActionLease> lease = source.next(Duration.ofSeconds(10));
      assertThat(lease).isPresent();
      assertThat(lease.get().action().getInstanceName()).isEqualTo("q");
    }
  }

  @Test
  void dotSegmentsAndNulAreInvalidArgumentEverywhere() throws Exception {
    Digest action = newAction();
    for (String bad : new String[] {"a/../b", "..", "./x", "x\0y"}) {
      assertThatThrownBy(() -> get(bad, action)).as(bad).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
      assertThatThrownBy(() -> execution.execute(ExecuteRequest.newBuilder().setInstanceName(bad).setActionDigest(action).build()).next())
          .as(bad).isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    HttpResponse<String> viaHttp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + front.port + "/a/../ac/" + action.getHash())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(viaHttp.statusCode()).isEqualTo(400);
  }
}
