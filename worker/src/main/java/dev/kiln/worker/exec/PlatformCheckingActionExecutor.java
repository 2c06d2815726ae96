package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.Platform;
import com.google.rpc.Code;
import dev.kiln.action.PlatformRequirements;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.QueuedAction;
import java.util.List;

/**
 * Runs only actions this worker can satisfy. The front node admits an action when some live worker
 * offers its platform, but every worker leases from the same queue: an action asking for another
 * pool or another toolchain must not run here (its cache key promises that toolchain). It is
 * refused with UNAVAILABLE before anything is fetched, so the slot releases the lease and another
 * worker gets it.
 */
public final class PlatformCheckingActionExecutor implements ActionExecutor {
  private final ActionExecutor delegate;
  private final List<Platform.Property> offered;

  public PlatformCheckingActionExecutor(ActionExecutor delegate, List<Platform.Property> offered) {
    this.delegate = delegate;
    this.offered = List.copyOf(offered);
  }

  @Override
  public ExecuteResponse execute(QueuedAction action) {
    List<Platform.Property> unmet = PlatformRequirements.unmet(action.getPlatform(), offered);
    if (!unmet.isEmpty()) {
      throw FarmException.of(Code.UNAVAILABLE, "this worker does not offer %s", PlatformRequirements.describe(unmet));
    }
    return delegate.execute(action);
  }
}
