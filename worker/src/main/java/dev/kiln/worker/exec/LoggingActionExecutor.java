package dev.kiln.worker.exec;

import build.bazel.remote.execution.v2.ExecuteResponse;
import dev.kiln.proto.events.QueuedAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per action, as key=value pairs an operator can grep or parse: worker, operation,
 * action digest, exit code, status code, time; never command lines or contents.
 */
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
      LOG.info("action worker={} operation={} digest={} exit={} status={} ms={}{}", workerId, action.getOperationName(),
          action.getActionDigest().getHash(), r.getResult().getExitCode(), r.getStatus().getCode(), (System.nanoTime() - start) / 1_000_000,
          r.getStatus().getCode() == 0 ? "" : " reason=\"" + r.getStatus().getMessage().replace('"', '\'') + "\"");
      return r;
    } catch (RuntimeException e) {
      LOG.info("action worker={} operation={} digest={} failed ms={} reason=\"{}\"", workerId, action.getOperationName(),
          action.getActionDigest().getHash(), (System.nanoTime() - start) / 1_000_000, String.valueOf(e.getMessage()).replace('"', '\''));
      throw e;
    }
  }
}
