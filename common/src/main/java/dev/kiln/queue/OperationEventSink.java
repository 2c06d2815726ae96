package dev.kiln.queue;

import dev.kiln.proto.events.OperationEvent;
import java.util.concurrent.CompletionStage;

/** Where workers publish progress and completion events (the results topic). */
public interface OperationEventSink extends AutoCloseable {
  CompletionStage<Void> publish(OperationEvent event);

  @Override
  void close();
}
