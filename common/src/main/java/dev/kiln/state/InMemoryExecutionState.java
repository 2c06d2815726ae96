package dev.kiln.state;

import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.WorkerHeartbeat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Execution state and worker registry in maps: the fake for tests. No expiry. */
public final class InMemoryExecutionState implements ExecutionStateReader, ExecutionStateWriter, ExecutionDeduplicator, WorkerRegistry {
  private final Map<String, OperationRecord> operations = new ConcurrentHashMap<>();
  private final Map<String, String> inflight = new ConcurrentHashMap<>();
  private final Map<String, WorkerHeartbeat> workers = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<OperationRecord>> get(String operationName) {
    return CompletableFuture.completedFuture(Optional.ofNullable(operations.get(operationName)));
  }

  @Override
  public CompletionStage<Void> put(OperationRecord record) {
    operations.put(record.getName(), record);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<String>> claim(String actionKey, String operationName) {
    return CompletableFuture.completedFuture(Optional.ofNullable(inflight.putIfAbsent(actionKey, operationName)));
  }

  @Override
  public CompletionStage<Void> release(String actionKey, String operationName) {
    inflight.remove(actionKey, operationName);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> heartbeat(WorkerHeartbeat heartbeat) {
    workers.put(heartbeat.getWorkerId(), heartbeat);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<WorkerHeartbeat>> live() {
    return CompletableFuture.completedFuture(List.copyOf(workers.values()));
  }

  @Override
  public CompletionStage<Void> remove(String workerId) {
    workers.remove(workerId);
    return CompletableFuture.completedFuture(null);
  }
}
