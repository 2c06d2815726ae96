package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Digest;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.Platform;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * REAPI platform properties against a real farm: the worker announces OSFamily, ISA, pool and its
 * toolchains; an action asking for what it offers runs (whether the client puts the platform in
 * the Action or, like Buck2, only in the Command), one asking for a pool nobody serves fails with
 * FAILED_PRECONDITION after the admission wait instead of sitting in the queue.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PlatformRoutingTest {
  private static EmbeddedFarm farm;
  private static ReapiClient client;

  @BeforeAll
  static void start() {
    farm = FarmFixture.start(1, 1, Duration.ofSeconds(1));
    client = new ReapiClient(farm.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    farm.close();
  }

  private static Platform platform(String... nameValues) {
    Platform.Builder p = Platform.newBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      p.addProperties(Platform.Property.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return p.build();
  }

  /** An action printing a fresh token, with {@code onAction} in Action.platform and {@code onCommand} in Command.platform. */
  private static Digest action(Platform onAction, Platform onCommand) {
    Command command = Command.newBuilder().addArguments("/bin/echo").addArguments(UUID.randomUUID().toString()).setPlatform(onCommand).build();
    Directory root = Directory.getDefaultInstance();
    Action action = Action.newBuilder().setCommandDigest(ReapiClient.digest(command)).setInputRootDigest(ReapiClient.digest(root))
        .setPlatform(onAction).build();
    client.upload(command.toByteArray(), root.toByteArray(), action.toByteArray());
    return ReapiClient.digest(action);
  }

  private static String isa() {
    return System.getProperty("os.arch").equals("amd64") ? "x86-64" : System.getProperty("os.arch");
  }

  @Test
  void anActionAskingForWhatTheWorkerOffersRuns() {
    ExecuteResponse r = client.execute(action(platform("ISA", isa(), "OSFamily", "linux", "pool", "default"), Platform.getDefaultInstance()), false);
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isZero();
    assertThat(r.getResult().getExitCode()).isZero();
    ExecuteResponse fromCommand = client.execute(action(Platform.getDefaultInstance(), platform("OSFamily", "Linux", "pool", "default")), false);
    assertThat(fromCommand.getResult().getExitCode()).as(fromCommand.getStatus().getMessage()).isZero();
  }

  @Test
  void aPoolNoWorkerServesFailsWithFailedPreconditionNamingIt() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> client.execute(action(platform("OSFamily", "Linux", "pool", "nope"), Platform.getDefaultInstance()), false));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains("pool=nope").doesNotContain("OSFamily");
  }
}
