package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;

/**
 * Writes successful results to the action cache: status OK, exit code 0, and the action not
 * marked do_not_cache. Failed compiles are never cached.
 */
public final class CachingActionExecutor implements ActionExecutor {
  private final ActionExecutor delegate;
  private final ActionCache cache;

  public CachingActionExecutor(ActionExecutor delegate, ActionCache cache) {
    this.delegate = delegate;
    this.cache = cache;
  }

  @Override
  public ExecuteResponse execute(QueuedAction action) {
    ExecuteResponse response = delegate.execute(action);
    boolean cacheable = response.getStatus().getCode() == 0 && response.getResult().getExitCode() == 0 && !action.getDoNotCache();
    if (cacheable) {
      Futures.await(cache.put(new ActionKey(action.getInstanceName(), Digest.fromProto(action.getActionDigest())), response.getResult()));
    }
    return response;
  }
}
