package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import dev.kiln.proto.events.QueuedAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per action: digest, outcome and time, never command lines or contents. */
public final class LoggingActionExecutor implements ActionExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingActionExecutor.class);
  private final ActionExecutor delegate;
  private final String workerId;

  public LoggingActionExecutor(ActionExecutor delegate, String workerId) {
    this.delegate = delegate;
    this.workerId = workerId;
  }

  @Override
  public ExecuteResponse execute(QueuedAction action) {
    long start = System.nanoTime();
    try {
      ExecuteResponse r = delegate.execute(action);
      LOG.debug("{} ran {} exit={} status={} in {} ms", workerId, action.getActionDigest().getHash(),
          r.getResult().getExitCode(), r.getStatus().getCode(), (System.nanoTime() - start) / 1_000_000);
      return r;
    } catch (RuntimeException e) {
      LOG.info("{} failed {} after {} ms: {}", workerId, action.getActionDigest().getHash(), (System.nanoTime() - start) / 1_000_000, e.getMessage());
      throw e;
    }
  }
}
