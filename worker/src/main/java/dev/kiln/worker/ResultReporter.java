package dev.kiln.worker;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionStage;
import dev.kiln.ac.ActionKey;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationEvent;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.queue.OperationEventSink;
import dev.kiln.state.ExecutionDeduplicator;
import dev.kiln.state.ExecutionStateWriter;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cluster how an operation is going: the operation record in Hazelcast first (so any
 * front node can answer WaitExecution), then the in-flight claim is released, then the event on
 * the results topic wakes the front nodes holding client streams.
 */
public final class ResultReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ResultReporter.class);
  private final ExecutionStateWriter state;
  private final ExecutionDeduplicator dedup;
  private final OperationEventSink sink;
  private final String workerId;
  private final Clock clock;

  public ResultReporter(ExecutionStateWriter state, ExecutionDeduplicator dedup, OperationEventSink sink, String workerId, Clock clock) {
    this.state = state;
    this.dedup = dedup;
    this.sink = sink;
    this.workerId = workerId;
    this.clock = clock;
  }

  /**
   * Progress only: not awaited, so it costs the action nothing. A lost EXECUTING update is
   * harmless (clients see QUEUED until the result).
   */
  public void executing(QueuedAction action) {
    state.put(record(action, ExecutionStage.Value.EXECUTING).build()).exceptionally(e -> warn("record", action, e));
    sink.publish(event(action, ExecutionStage.Value.EXECUTING).build()).exceptionally(e -> warn("event", action, e));
  }

  /**
   * The result, durably: the record, the claim release and the event go out together and all
   * must succeed before the worker acknowledges the action.
   */
  public void completed(QueuedAction action, ExecuteResponse response) {
    String key = new ActionKey(action.getInstanceName(), Digest.fromProto(action.getActionDigest())).key();
    Futures.await(Futures.all(List.of(
        state.put(record(action, ExecutionStage.Value.COMPLETED).setDone(true).setResponse(response).build()),
        dedup.release(key, action.getOperationName()),
        sink.publish(event(action, ExecutionStage.Value.COMPLETED).setResponse(response).build()))));
  }

  private Void warn(String what, QueuedAction action, Throwable e) {
    LOG.warn("progress {} of {} not recorded: {}", what, action.getOperationName(), e.toString());
    return null;
  }

  private OperationRecord.Builder record(QueuedAction action, ExecutionStage.Value stage) {
    var now = clock.instant();
    return OperationRecord.newBuilder().setName(action.getOperationName()).setInstanceName(action.getInstanceName())
        .setActionDigest(action.getActionDigest()).setStage(stage).setWorker(workerId)
        .setUpdated(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()));
  }

  private OperationEvent.Builder event(QueuedAction action, ExecutionStage.Value stage) {
    return OperationEvent.newBuilder().setOperationName(action.getOperationName()).setInstanceName(action.getInstanceName())
        .setActionDigest(action.getActionDigest()).setStage(stage).setWorker(workerId);
  }
}
