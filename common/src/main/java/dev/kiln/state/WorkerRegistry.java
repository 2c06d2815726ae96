package dev.kiln.state;

import dev.kiln.proto.events.WorkerHeartbeat;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Live workers: each refreshes its entry; entries of silent workers expire. */
public interface WorkerRegistry {
  CompletionStage<Void> heartbeat(WorkerHeartbeat heartbeat);

  CompletionStage<List<WorkerHeartbeat>> live();

  CompletionStage<Void> remove(String workerId);

  /** Slots whose thread is alive, over {@code workers} (a heartbeat's {@code slots} counts only those). */
  static long aliveSlots(List<WorkerHeartbeat> workers) {
    return workers.stream().mapToLong(w -> Math.max(0, w.getSlots())).sum();
  }
}
