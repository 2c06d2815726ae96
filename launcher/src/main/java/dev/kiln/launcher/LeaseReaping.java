package dev.kiln.launcher;

import dev.kiln.queue.LeaseReaper;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a front node's {@link LeaseReaper} every {@code period}, one sweep at a time. */
final class LeaseReaping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaping.class);
  /** How often a front node looks for the actions of dead workers. */
  static final Duration PERIOD = Duration.ofSeconds(2);
  /** How old a lease must be before its holder's missing heartbeat counts. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  LeaseReaping(LeaseReaper reaper, String nodeId, Duration period) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, nodeId + "-lease-reaper");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        int n = reaper.sweep().toCompletableFuture().get(period.toMillis() * 10, TimeUnit.MILLISECONDS);
        if (n > 0) {
          LOG.info("requeued {} actions of dead workers", n);
        }
      } catch (Exception e) {
        LOG.warn("lease sweep failed (retrying): {}", e.toString());
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
