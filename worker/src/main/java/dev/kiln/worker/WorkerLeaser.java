package dev.kiln.worker;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.queue.ActionLease;
import dev.kiln.queue.ActionSource;
import dev.kiln.state.ActionLeases;
import dev.kiln.state.ExecutionStateReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one queue member: takes an action whenever a slot is free, records the lease in
 * the cluster, acknowledges the queue record at once and hands the action to a slot thread. One
 * member per worker (not per slot) keeps a share group far below Kafka's member limit, and no
 * record stays locked while its action runs (docs/adr/0009-queue-leases-and-fair-share.md).
 */
final class WorkerLeaser implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLeaser.class);

  /** What the leaser needs besides the queue. */
  record Settings(String workerId, int slots, int attemptLimit) {}

  private final Supplier<ActionSource> sources;
  private final ActionLeases leases;
  private final ExecutionStateReader operations;
  private final ResultReporter reporter;
  private final Settings settings;
  private final Executor slots;
  private final Slot run;
  private final Clock clock;
  private final Semaphore free;
  private volatile boolean stopping;
  private volatile boolean alive = true;

  WorkerLeaser(Supplier<ActionSource> sources, ActionLeases leases, ExecutionStateReader operations,
      ResultReporter reporter, Settings settings, Executor slots, Slot run, Clock clock) {
    this.sources = sources;
    this.leases = leases;
    this.operations = operations;
    this.reporter = reporter;
    this.settings = settings;
    this.slots = slots;
    this.run = run;
    this.clock = clock;
    this.free = new Semaphore(settings.slots());
  }

  /** What a slot thread does with a leased action. */
  interface Slot {
    void run(QueuedAction action, int attempt);
  }

  void stop() {
    stopping = true;
  }

  /** False once the leasing thread has ended. */
  boolean alive() {
    return alive;
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        try (ActionSource source = sources.get()) {
          while (!stopping) {
            leaseSome(source);
          }
        } catch (RuntimeException e) {
          if (stopping) {
            return;
          }
          // Broker or cache trouble: leave the group (an unacknowledged record goes elsewhere), retry.
          LOG.warn("worker {} lost its queue connection, rejoining in 1 s: {}", settings.workerId(), e.toString());
          pause(1000);
        }
      }
    } catch (Throwable t) {
      LOG.error("worker {} stopped leasing: {}", settings.workerId(), t.toString(), t);
      throw t;
    } finally {
      alive = false;
    }
  }

  /**
   * Records a worker of {@code slots} takes per poll: one per 16 slots. It polls only once that
   * many slots are free, so it never holds an action it cannot start; a big worker (or a simulated
   * one) needs fewer round trips, at the cost of at most batch - 1 slots waiting for the next poll.
   */
  static int batchFor(int slots) {
    return Math.max(1, slots / 16);
  }

  private void leaseSome(ActionSource source) {
    int want = source.hasBuffered() ? 1 : Math.min(source.batch(), settings.slots());
    if (!free.tryAcquire(want)) {
      // Not enough free slots: the last acknowledgements must not wait for a poll that is not coming.
      source.flush();
      if (!acquire(want)) {
        return;
      }
    }
    int held = want;
    try {
      Optional<ActionLease> lease = source.next(Duration.ofMillis(500));
      while (lease.isPresent()) {
        if (start(lease.get())) {
          held--;
        }
        lease = held > 0 && source.hasBuffered() ? source.next(Duration.ZERO) : Optional.empty();
      }
    } finally {
      if (held > 0) {
        free.release(held);
      }
    }
  }

  private boolean acquire(int permits) {
    try {
      return free.tryAcquire(permits, 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
      return false;
    }
  }

  private boolean start(ActionLease lease) {
    QueuedAction action = lease.action();
    int attempt = action.getRequeues() + lease.deliveryCount();
    // Only an action delivered before can already be done (its worker died after reporting it).
    if (attempt > 1 && Futures.await(operations.get(action.getOperationName())).map(r -> r.getDone()).orElse(false)) {
      lease.complete();
      return false;
    }
    if (attempt >= settings.attemptLimit()) {
      reporter.completed(action, ActionRun.failure(FarmException.of(Code.ABORTED,
          "action was delivered %d times and every worker that took it died or gave up; not running it again", attempt)));
      lease.complete();
      return false;
    }
    // The lease exists before the record is acknowledged: from here on, the reaper brings it back.
    Futures.await(leases.take(action, settings.workerId(), clock.instant()));
    lease.complete();
    slots.execute(() -> {
      try {
        run.run(action, attempt);
      } finally {
        free.release();
      }
    });
    return true;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
