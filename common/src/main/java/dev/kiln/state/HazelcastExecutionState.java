package dev.kiln.state;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.WorkerHeartbeat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * Execution state in Hazelcast maps, partitioned by key: operations (by name), in-flight dedup
 * (by action key, via an atomic entry processor) and the worker registry (entries with a TTL).
 * A finished operation is kept for {@code finishedTtl} (WaitExecution and Goma answers after it
 * completes), an unfinished one for the map's TTL (hazelcast.yaml), and the map has a size bound.
 */
public final class HazelcastExecutionState implements ExecutionStateReader, ExecutionStateWriter, ExecutionDeduplicator, WorkerRegistry {
  private final IMap<String, byte[]> operations;
  private final IMap<String, String> inflight;
  private final IMap<String, byte[]> workers;
  private final Duration finishedTtl;

  /** Finished operations kept for 15 minutes. */
  public static final Duration DEFAULT_FINISHED_TTL = Duration.ofMinutes(15);

  public HazelcastExecutionState(HazelcastInstance hz) {
    this(hz, DEFAULT_FINISHED_TTL);
  }

  public HazelcastExecutionState(HazelcastInstance hz, Duration finishedTtl) {
    this.finishedTtl = finishedTtl;
    this.operations = hz.getMap(HazelcastShape.OPERATIONS_MAP);
    this.inflight = hz.getMap(HazelcastShape.INFLIGHT_MAP);
    this.workers = hz.getMap(HazelcastShape.WORKERS_MAP);
  }

  @Override
  public CompletionStage<Optional<OperationRecord>> get(String operationName) {
    return operations.getAsync(operationName).thenApply(b -> Optional.ofNullable(b).map(HazelcastExecutionState::parseRecord));
  }

  @Override
  public CompletionStage<Void> put(OperationRecord record) {
    return record.getDone()
        ? operations.setAsync(record.getName(), record.toByteArray(), finishedTtl.toSeconds(), TimeUnit.SECONDS)
        : operations.setAsync(record.getName(), record.toByteArray());
  }

  /** How much longer the cluster keeps {@code operationName} (for tests and operators). */
  Optional<Duration> remainingTtl(String operationName) {
    var view = operations.getEntryView(operationName);
    return view == null ? Optional.empty() : Optional.of(Duration.ofMillis(view.getTtl()));
  }

  @Override
  public CompletionStage<Optional<String>> claim(String actionKey, String operationName) {
    return inflight.submitToKey(actionKey, new ClaimIfAbsent(operationName)).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletionStage<Void> release(String actionKey, String operationName) {
    return inflight.submitToKey(actionKey, new ReleaseIfOwner(operationName)).thenApply(x -> null);
  }

  @Override
  public CompletionStage<Void> heartbeat(WorkerHeartbeat heartbeat) {
    return workers.setAsync(heartbeat.getWorkerId(), heartbeat.toByteArray());
  }

  @Override
  public CompletionStage<List<WorkerHeartbeat>> live() {
    // values() has no async form; run it off the caller's thread (callers may be event loops).
    return CompletableFuture.supplyAsync(() -> {
      List<WorkerHeartbeat> out = new ArrayList<>();
      for (byte[] b : workers.values()) {
        try {
          out.add(WorkerHeartbeat.parseFrom(b));
        } catch (InvalidProtocolBufferException e) {
          throw FarmException.internal("corrupt worker heartbeat: %s", e.getMessage());
        }
      }
      return out;
    }, ForkJoinPool.commonPool());
  }

  @Override
  public CompletionStage<Void> remove(String workerId) {
    return workers.deleteAsync(workerId).thenApply(x -> null);
  }

  private static OperationRecord parseRecord(byte[] b) {
    try {
      return OperationRecord.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.internal("corrupt operation record: %s", e.getMessage());
    }
  }

  /** Sets the owner if there is none; returns the previous owner (null when the claim won). */
  static final class ClaimIfAbsent implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String owner;

    ClaimIfAbsent(String owner) {
      this.owner = owner;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      String current = entry.getValue();
      if (current == null) {
        entry.setValue(owner);
        return null;
      }
      return current;
    }
  }

  /** Removes the entry only if {@code owner} holds it. */
  static final class ReleaseIfOwner implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final String owner;

    ReleaseIfOwner(String owner) {
      this.owner = owner;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (Objects.equals(entry.getValue(), owner)) {
        entry.setValue(null);
        return true;
      }
      return false;
    }
  }
}
