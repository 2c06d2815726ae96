package dev.kiln.queue;

import java.time.Duration;

class InMemoryQueueTest extends ActionQueueContract {
  private final InMemoryQueue queue = new InMemoryQueue();

  @Override
  protected ActionQueue queue() {
    return queue;
  }

  @Override
  protected ActionSource newSource() {
    return queue.newSource();
  }

  @Override
  protected Duration patience() {
    return Duration.ofSeconds(2);
  }
}
