package dev.kiln.scheduler.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.proto.health.HealthCheckRequest;
import dev.kiln.proto.health.HealthCheckResponse;
import dev.kiln.proto.health.HealthCheckResponse.ServingStatus;
import dev.kiln.proto.health.HealthGrpc;
import dev.kiln.scheduler.TestFrontNode;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** grpc.health.v1 through a real front node and the stock grpc-java client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthEndpointTest {
  private final TestFrontNode front = new TestFrontNode(TestFrontNode.config());
  private final ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", front.port).usePlaintext().build();
  private final HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    front.close();
  }

  private void heartbeat(String id, int aliveSlots) {
    Futures.await(front.state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(aliveSlots).build()));
  }

  private ServingStatus check(String service) {
    return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  void notServingWithoutAnAliveSlot() {
    heartbeat("w1", 0);
    assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void servingWithAnAliveSlotForTheServerAndEachService() {
    heartbeat("w1", 1);
    assertThat(check("")).isEqualTo(ServingStatus.SERVING);
    assertThat(check("build.bazel.remote.execution.v2.Execution")).isEqualTo(ServingStatus.SERVING);
    assertThat(check("build.bazel.remote.execution.v2.ContentAddressableStorage")).isEqualTo(ServingStatus.SERVING);
    assertThat(check("google.bytestream.ByteStream")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void anUnknownServiceIsNotFound() {
    assertThatThrownBy(() -> check("no.such.Service"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void watchSendsTheStatusThenItsChanges() {
    try (Context.CancellableContext ctx = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> updates = ctx.call(() -> health.watch(HealthCheckRequest.getDefaultInstance()));
      assertThat(updates.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
      heartbeat("w1", 2);
      assertThat(updates.next().getStatus()).isEqualTo(ServingStatus.SERVING);
      Futures.await(front.state.remove("w1"));
      assertThat(updates.next().getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
      ctx.cancel(null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void watchOfAnUnknownServiceSaysSoAndStaysOpen() {
    try (Context.CancellableContext ctx = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> updates = ctx.call(() -> health.watch(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
      assertThat(updates.next().getStatus()).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
      ctx.cancel(null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
