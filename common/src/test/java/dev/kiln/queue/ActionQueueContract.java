package dev.kiln.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the queue pair ({@link ActionQueue}, {@link ActionSource}) must do. */
public abstract class ActionQueueContract {
  protected abstract ActionQueue queue();

  protected abstract ActionSource newSource();

  /** Generous: the first share-group join on a fresh broker takes seconds. */
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  protected static QueuedAction action() {
    String name = "operations/" + UUID.randomUUID();
    return QueuedAction.newBuilder().setOperationName(name)
        .setActionDigest(Digest.of(name.getBytes(StandardCharsets.UTF_8)).toProto()).build();
  }

  private Optional<ActionLease> await(ActionSource source, String name) {
    long deadline = System.nanoTime() + patience().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ActionLease> lease = source.next(Duration.ofMillis(200));
      if (lease.isPresent()) {
        if (lease.get().action().getOperationName().equals(name)) {
          return lease;
        }
        lease.get().complete();
      }
    }
    return Optional.empty();
  }

  @Test
  void enqueuedActionIsLeasedOnceAndCompleted() {
    try (ActionSource source = newSource()) {
      QueuedAction a = action();
      Futures.await(queue().enqueue(a));
      ActionLease lease = await(source, a.getOperationName()).orElseThrow();
      assertThat(lease.action()).isEqualTo(a);
      assertThat(lease.deliveryCount()).isEqualTo(1);
      lease.complete();
      assertThat(source.next(Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void releasedActionIsDeliveredAgainWithAHigherCount() {
    try (ActionSource source = newSource()) {
      QueuedAction a = action();
      Futures.await(queue().enqueue(a));
      await(source, a.getOperationName()).orElseThrow().release();
      ActionLease again = await(source, a.getOperationName()).orElseThrow();
      assertThat(again.deliveryCount()).isEqualTo(2);
      again.complete();
    }
  }

  @Test
  void leaseOfAClosedSourceGoesToAnotherSource() {
    QueuedAction a = action();
    ActionSource first = newSource();
    try (ActionSource second = newSource()) {
      Futures.await(queue().enqueue(a));
      assertThat(await(first, a.getOperationName())).isPresent();
      first.close();
      ActionLease redelivered = await(second, a.getOperationName()).orElseThrow();
      assertThat(redelivered.deliveryCount()).isGreaterThanOrEqualTo(2);
      redelivered.complete();
    }
  }
}
