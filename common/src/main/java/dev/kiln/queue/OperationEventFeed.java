package dev.kiln.queue;

import dev.kiln.proto.events.OperationEvent;
import java.util.function.Consumer;

/**
 * Every operation event published after {@link #start} is handed to the listener, on a thread of
 * the feed's own. Each front node runs one feed over all partitions of the results topic.
 */
public interface OperationEventFeed extends AutoCloseable {
  void start(Consumer<OperationEvent> listener);

  @Override
  void close();
}
