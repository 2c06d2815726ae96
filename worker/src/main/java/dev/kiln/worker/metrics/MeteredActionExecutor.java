package dev.kiln.worker.metrics;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutedActionMetadata;
import com.google.protobuf.Timestamp;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.worker.exec.ActionExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Times each action's phases from the {@code ExecutedActionMetadata} the executor fills:
 * {@code kiln_worker_action_phase_seconds{phase="queue_wait|input_fetch|execution|output_upload|total",pool}}
 * histograms, and {@code kiln_worker_actions_total{outcome="ok|failed|error|exception"}}. A phase
 * whose timestamps are missing (an action that failed before it) is not observed.
 */
public final class MeteredActionExecutor implements ActionExecutor {
  public static final String PHASE = "kiln.worker.action.phase";
  public static final String ACTIONS = "kiln.worker.actions";

  private final ActionExecutor delegate;
  private final MeterRegistry registry;
  private final String pool;

  public MeteredActionExecutor(ActionExecutor delegate, MeterRegistry registry, String pool) {
    this.delegate = delegate;
    this.registry = registry;
    this.pool = pool;
  }

  @Override
  public ExecuteResponse execute(QueuedAction action) {
    ExecuteResponse r;
    try {
      r = delegate.execute(action);
    } catch (RuntimeException e) {
      count("exception");
      throw e;
    }
    count(r.getStatus().getCode() != 0 ? "error" : r.getResult().getExitCode() != 0 ? "failed" : "ok");
    ExecutedActionMetadata m = r.getResult().getExecutionMetadata();
    observe("queue_wait", m.getQueuedTimestamp(), m.getWorkerStartTimestamp());
    observe("input_fetch", m.getInputFetchStartTimestamp(), m.getInputFetchCompletedTimestamp());
    observe("execution", m.getExecutionStartTimestamp(), m.getExecutionCompletedTimestamp());
    observe("output_upload", m.getOutputUploadStartTimestamp(), m.getOutputUploadCompletedTimestamp());
    observe("total", m.getQueuedTimestamp(), m.getWorkerCompletedTimestamp());
    return r;
  }

  private void count(String outcome) {
    Counter.builder(ACTIONS).description("Actions this worker finished, by outcome").tag("outcome", outcome).tag("pool", pool)
        .register(registry).increment();
  }

  private void observe(String phase, Timestamp from, Timestamp to) {
    if (unset(from) || unset(to)) {
      return;
    }
    Duration d = Duration.ofSeconds(to.getSeconds() - from.getSeconds(), to.getNanos() - from.getNanos());
    Timer.builder(PHASE).description("Time an action spent in each phase on this worker").tag("phase", phase).tag("pool", pool)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
        .register(registry).record(d.isNegative() ? Duration.ZERO : d);
  }

  private static boolean unset(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0;
  }
}
