package dev.kiln.scheduler.metrics;

import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.WorkerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kiln_workers} and {@code kiln_worker_slots{state="alive|busy"}} from the live workers'
 * heartbeats ({@code slots}: slots whose thread is alive; {@code busy}). The registry is read by
 * {@link #refresh()}, at most once per {@code maxAge} (concurrent callers share one read), never
 * by the gauges themselves; a read that fails or takes longer than {@code maxAge} leaves the last
 * values in place.
 */
public final class WorkerGauges {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerGauges.class);

  private final WorkerRegistry workers;
  private final Clock clock;
  private final Duration maxAge;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong alive = new AtomicLong();
  private final AtomicLong busy = new AtomicLong();
  private CompletableFuture<Void> last;
  private long lastMillis;

  public WorkerGauges(WorkerRegistry workers, MeterRegistry registry, Clock clock, Duration maxAge) {
    this.workers = workers;
    this.clock = clock;
    this.maxAge = maxAge;
    Gauge.builder("kiln.workers", count, AtomicLong::get).description("Live workers (fresh heartbeat)").strongReference(true)
        .register(registry);
    Gauge.builder("kiln.worker.slots", alive, AtomicLong::get).description("Worker slots by state, summed over live workers")
        .tag("state", "alive").strongReference(true).register(registry);
    Gauge.builder("kiln.worker.slots", busy, AtomicLong::get).description("Worker slots by state, summed over live workers")
        .tag("state", "busy").strongReference(true).register(registry);
  }

  /** Re-reads the live workers unless a read is under way or ended less than {@code maxAge} ago. */
  public synchronized CompletableFuture<Void> refresh() {
    long now = clock.millis();
    if (last != null && (!last.isDone() || now - lastMillis < maxAge.toMillis())) {
      return last;
    }
    lastMillis = now;
    CompletableFuture<Void> read;
    try {
      read = workers.live().toCompletableFuture().orTimeout(maxAge.toMillis(), TimeUnit.MILLISECONDS).thenAccept(this::set);
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    last = read.exceptionally(e -> {
      LOG.debug("worker gauges keep their last values: cannot read the worker registry", e);
      return null;
    });
    return last;
  }

  private void set(List<WorkerHeartbeat> live) {
    count.set(live.size());
    alive.set(WorkerRegistry.aliveSlots(live));
    busy.set(live.stream().mapToLong(w -> Math.max(0, w.getBusy())).sum());
  }
}
