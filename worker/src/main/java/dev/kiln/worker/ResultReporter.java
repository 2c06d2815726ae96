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

/**
 * Tells the cluster how an operation is going: the operation record in Hazelcast first (so any
 * front node can answer WaitExecution), then the in-flight claim is released, then the event on
 * the results topic wakes the front nodes holding client streams.
 */
public final class ResultReporter {
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

  public void executing(QueuedAction action) {
    OperationRecord record = record(action, ExecutionStage.Value.EXECUTING).build();
    Futures.await(state.put(record));
    Futures.await(sink.publish(event(action, ExecutionStage.Value.EXECUTING).build()));
  }

  public void completed(QueuedAction action, ExecuteResponse response) {
    Futures.await(state.put(record(action, ExecutionStage.Value.COMPLETED).setDone(true).setResponse(response).build()));
    String key = new ActionKey(action.getInstanceName(), Digest.fromProto(action.getActionDigest())).key();
    Futures.await(dedup.release(key, action.getOperationName()));
    Futures.await(sink.publish(event(action, ExecutionStage.Value.COMPLETED).setResponse(response).build()));
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
