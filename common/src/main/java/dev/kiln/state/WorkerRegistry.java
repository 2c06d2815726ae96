package dev.kiln.state;

import dev.kiln.proto.events.WorkerHeartbeat;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Live workers: each refreshes its entry; entries of silent workers expire. */
public interface WorkerRegistry {
  CompletionStage<Void> heartbeat(WorkerHeartbeat heartbeat);

  CompletionStage<List<WorkerHeartbeat>> live();

  CompletionStage<Void> remove(String workerId);
}
