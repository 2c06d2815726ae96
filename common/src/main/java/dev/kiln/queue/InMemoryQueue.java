package dev.kiln.queue;

import dev.kiln.proto.events.OperationEvent;
import dev.kiln.proto.events.QueuedAction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The queue and the results bus in memory: the fake used by unit tests, with the same
 * at-least-once semantics as the Kafka implementation (unsettled leases of a closed source are
 * delivered again).
 */
public final class InMemoryQueue implements ActionQueue, OperationEventSink {
  private final Deque<Delivery> ready = new ArrayDeque<>();
  private final List<Consumer<OperationEvent>> listeners = new CopyOnWriteArrayList<>();

  private record Delivery(QueuedAction action, int count) {}

  @Override
  public synchronized CompletionStage<Void> enqueue(QueuedAction action) {
    ready.addLast(new Delivery(action, 1));
    notifyAll();
    return CompletableFuture.completedFuture(null);
  }

  /** A new worker-slot view on this queue. */
  public ActionSource newSource() {
    return new Source();
  }

  /** A new front-node view on the results bus. */
  public OperationEventFeed newFeed() {
    return new OperationEventFeed() {
      private Consumer<OperationEvent> mine;

      @Override
      public void start(Consumer<OperationEvent> listener) {
        mine = listener;
        listeners.add(listener);
      }

      @Override
      public void close() {
        listeners.remove(mine);
      }
    };
  }

  @Override
  public CompletionStage<Void> publish(OperationEvent event) {
    listeners.forEach(l -> l.accept(event));
    return CompletableFuture.completedFuture(null);
  }

  private synchronized void redeliver(Delivery d) {
    ready.addFirst(new Delivery(d.action(), d.count() + 1));
    notifyAll();
  }

  private synchronized Optional<Delivery> take(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ready.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.of(ready.removeFirst());
  }

  @Override
  public void close() {}

  private final class Source implements ActionSource {
    private Lease open;

    @Override
    public Optional<ActionLease> next(Duration timeout) {
      if (open != null && !open.settled) {
        throw new IllegalStateException("previous lease not settled");
      }
      Optional<Delivery> d = take(timeout);
      open = d.map(Lease::new).orElse(null);
      return Optional.ofNullable(open);
    }

    @Override
    public void close() {
      if (open != null && !open.settled) {
        open.settled = true;
        redeliver(open.delivery);
      }
    }
  }

  private final class Lease implements ActionLease {
    private final Delivery delivery;
    private boolean settled;

    Lease(Delivery delivery) {
      this.delivery = delivery;
    }

    @Override
    public QueuedAction action() {
      return delivery.action();
    }

    @Override
    public int deliveryCount() {
      return delivery.count();
    }

    @Override
    public void complete() {
      settled = true;
    }

    @Override
    public void release() {
      settled = true;
      redeliver(delivery);
    }

    @Override
    public void reject() {
      settled = true;
    }
  }
}
