package dev.kiln.queue;

import dev.kiln.proto.events.QueuedAction;
import java.util.concurrent.CompletionStage;

/** The front node's side of the work queue: publish an accepted action for some worker. */
public interface ActionQueue extends AutoCloseable {
  /** Completes once the queue has durably accepted the action. */
  CompletionStage<Void> enqueue(QueuedAction action);

  @Override
  void close();
}
