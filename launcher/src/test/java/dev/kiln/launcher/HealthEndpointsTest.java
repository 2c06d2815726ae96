package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.proto.health.HealthCheckRequest;
import dev.kiln.proto.health.HealthCheckResponse.ServingStatus;
import dev.kiln.proto.health.HealthGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liveness, readiness and grpc.health.v1 against a real embedded farm (KRaft broker, Hazelcast,
 * front node, a sandboxed worker): ready once the worker's slot is up, with the broker answering.
 * The unreachable broker is covered at the scheduler level (ReadinessHandlerTest).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HealthEndpointsTest {
  private static EmbeddedFarm farm;
  private static ManagedChannel channel;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(30));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", farm.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    farm.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** /readyz once the worker has registered (the class timeout bounds the wait). */
  private static HttpResponse<String> readyz() throws Exception {
    HttpResponse<String> r = get("/readyz");
    while (r.statusCode() != 200) {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).doesNotContain("broker unreachable").doesNotContain("cache unreachable");
      Thread.sleep(200);
      r = get("/readyz");
    }
    return r;
  }

  @Test
  void livezIsOk() throws Exception {
    HttpResponse<String> r = get("/livez");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzIsOkWithBrokerCacheAndWorker() throws Exception {
    assertThat(readyz().body()).isEqualTo("ok\n");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void grpcHealthCheckIsServingOnceReady() throws Exception {
    readyz();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("build.bazel.remote.execution.v2.Execution").build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    try {
      health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build());
      throw new AssertionError("an unknown service must be NOT_FOUND");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
  }
}
