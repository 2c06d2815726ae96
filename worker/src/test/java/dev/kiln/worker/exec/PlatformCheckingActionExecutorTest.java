package dev.kiln.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.Platform;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.QueuedAction;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlatformCheckingActionExecutorTest {
  private static Platform.Property p(String name, String value) {
    return Platform.Property.newBuilder().setName(name).setValue(value).build();
  }

  private final AtomicInteger ran = new AtomicInteger();
  private final PlatformCheckingActionExecutor executor = new PlatformCheckingActionExecutor(a -> {
    ran.incrementAndGet();
    return ExecuteResponse.getDefaultInstance();
  }, List.of(p("OSFamily", "Linux"), p("pool", "default"), p("kiln-toolchain", "b1.s1")));

  private static QueuedAction asking(Platform.Property... ps) {
    return QueuedAction.newBuilder().setOperationName("operations/t").setPlatform(Platform.newBuilder().addAllProperties(List.of(ps))).build();
  }

  @Test
  void anActionThisWorkerCannotSatisfyIsRefusedAsUnavailableWithoutRunning() {
    assertThatThrownBy(() -> executor.execute(asking(p("kiln-toolchain", "b1.s2"))))
        .isInstanceOfSatisfying(FarmException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.isInfrastructureError()).as("the slot releases it for another worker").isTrue();
        })
        .hasMessageContaining("this worker does not offer {kiln-toolchain=b1.s2}");
    assertThatThrownBy(() -> executor.execute(asking(p("pool", "gpu")))).hasMessageContaining("pool=gpu");
    assertThat(ran).hasValue(0);
  }

  @Test
  void matchingActionsAndActionsWithoutRequirementsRun() {
    executor.execute(asking());
    executor.execute(asking(p("OSFamily", "linux"), p("kiln-toolchain", "b1.s1"), p("InputRootAbsolutePath", "/home/u")));
    assertThat(ran).hasValue(2);
  }
}
