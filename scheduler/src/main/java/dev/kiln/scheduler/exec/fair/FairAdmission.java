package dev.kiln.scheduler.exec.fair;

import build.bazel.remote.execution.v2.ExecutionStage;
import dev.kiln.proto.events.OperationEvent;
import dev.kiln.scheduler.exec.Admission;
import dev.kiln.state.ExecutionStateReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The front node's gate between a validated action and the queue: at most {@code window} of this
 * node's actions are queued or running at once (the farm's live slots, refreshed by {@link
 * #setWindow}), and the rest wait here in a {@link FairQueue}, so who goes next is decided by fair
 * share rather than by the queue's arrival order. A waiting action is not yet accepted: its client's
 * call is still open, nothing about it is in the cluster, and a front node that dies loses nothing
 * the client will not retry. A share is freed by the operation's COMPLETED event ({@link #accept});
 * an operation whose event was missed is found done by {@link #sweep}.
 */
public final class FairAdmission implements Consumer<OperationEvent> {
  /** What {@code schedule} made of an action: its admission, and whether it is a new queued operation. */
  public record Scheduled(Admission admission, boolean queued) {}

  private record Waiting(String name, Function<String, CompletionStage<Scheduled>> schedule, CompletableFuture<Admission> result) {}

  private record Running(Tenant tenant, Instant since) {}

  private static final Duration RECHECK = Duration.ofSeconds(30);

  private final FairQueue<Waiting> queue = new FairQueue<>();
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final int perUserCap;
  private final ExecutionStateReader operations;
  private final Clock clock;
  private volatile int window = Integer.MAX_VALUE;

  /** {@code perUserCap}: actions one user may have queued or running through this node (0: no cap). */
  public FairAdmission(int perUserCap, ExecutionStateReader operations, Clock clock) {
    this.perUserCap = perUserCap;
    this.operations = operations;
    this.clock = clock;
  }

  /** How many actions this node may have queued or running (the farm's live slots, at least 1). */
  public void setWindow(int slots) {
    window = Math.max(1, slots);
    pump();
  }

  /**
   * Waits for {@code tenant}'s turn, then calls {@code schedule} with the operation name to use. The
   * share is held until that operation completes if {@code schedule} queued it, else freed at once.
   */
  public CompletionStage<Admission> submit(Tenant tenant, int priority, Function<String, CompletionStage<Scheduled>> schedule) {
    CompletableFuture<Admission> result = new CompletableFuture<>();
    Waiting w = new Waiting("operations/" + UUID.randomUUID(), schedule, result);
    synchronized (this) {
      queue.add(tenant, priority, w);
    }
    pump();
    return result;
  }

  private void pump() {
    List<FairQueue.Dispatch<Waiting>> go = new ArrayList<>();
    synchronized (this) {
      while (queue.inFlight() < window) {
        Optional<FairQueue.Dispatch<Waiting>> next = queue.next(perUserCap);
        if (next.isEmpty()) {
          break;
        }
        go.add(next.get());
        // Registered before the operation can exist, so its COMPLETED event cannot be missed.
        running.put(next.get().item().name(), new Running(next.get().tenant(), clock.instant()));
      }
    }
    go.forEach(this::start);
  }

  private void start(FairQueue.Dispatch<Waiting> d) {
    Waiting w = d.item();
    CompletionStage<Scheduled> scheduled;
    try {
      scheduled = w.schedule().apply(w.name());
    } catch (RuntimeException e) {
      scheduled = CompletableFuture.failedFuture(e);
    }
    scheduled.whenComplete((s, err) -> {
      if (err != null || !s.queued()) {
        release(w.name());
      }
      if (err != null) {
        w.result().completeExceptionally(err);
      } else {
        w.result().complete(s.admission());
      }
    });
  }

  private void release(String name) {
    Running r = running.remove(name);
    if (r != null) {
      synchronized (this) {
        queue.done(r.tenant());
      }
      pump();
    }
  }

  /** The results feed: a completed operation frees its share. */
  @Override
  public void accept(OperationEvent event) {
    if (event.getStage() == ExecutionStage.Value.COMPLETED) {
      release(event.getOperationName());
    }
  }

  /** Frees the shares of operations running longer than 30 s that turn out done or gone (a missed event). */
  public void sweep() {
    Instant before = clock.instant().minus(RECHECK);
    running.forEach((name, r) -> {
      if (r.since().isBefore(before)) {
        operations.get(name).thenAccept(rec -> {
          if (rec.isEmpty() || rec.get().getDone()) {
            release(name);
          }
        });
      }
    });
  }

  /** Actions waiting for their share on this node. */
  public synchronized int waiting() {
    return queue.waiting();
  }

  /** This node's actions queued or running. */
  public synchronized int inFlight() {
    return queue.inFlight();
  }
}
