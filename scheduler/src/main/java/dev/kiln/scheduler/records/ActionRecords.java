package dev.kiln.scheduler.records;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last action records, bounded by count and by age (never unbounded): adding one past
 * {@code maxRecords} drops the oldest, and records older than {@code maxAge} are dropped whenever
 * the ring is touched. Thread-safe; every operation is bounded by {@code maxRecords}.
 */
public final class ActionRecords {
  /** How many records to keep, and for how long. */
  public record Limits(int maxRecords, Duration maxAge) {
    public Limits {
      if (maxRecords < 1 || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("action records need a positive count and age, got " + maxRecords + " and " + maxAge);
      }
    }

    public static Limits defaults() {
      return new Limits(10_000, Duration.ofHours(1));
    }
  }

  private final Clock clock;
  private final Limits limits;
  private final ArrayDeque<ActionRecord> ring = new ArrayDeque<>();
  private final MinuteSeries minutes;

  public ActionRecords(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
    this.minutes = new MinuteSeries(clock, 60);
  }

  public Limits limits() {
    return limits;
  }

  /** Per-minute counts over the last hour. */
  public MinuteSeries minutes() {
    return minutes;
  }

  public void add(ActionRecord r) {
    synchronized (this) {
      ring.addLast(r);
      while (ring.size() > limits.maxRecords()) {
        ring.removeFirst();
      }
      expire();
    }
    minutes.count(r);
  }

  /** Matching records, newest first, at most {@code query.limit()}. */
  public synchronized List<ActionRecord> query(RecordQuery query) {
    expire();
    List<ActionRecord> out = new ArrayList<>();
    for (Iterator<ActionRecord> it = ring.descendingIterator(); it.hasNext() && out.size() < query.limit(); ) {
      ActionRecord r = it.next();
      if (query.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  public synchronized int size() {
    expire();
    return ring.size();
  }

  private void expire() {
    Instant oldest = clock.instant().minus(limits.maxAge());
    while (!ring.isEmpty() && ring.peekFirst().finished().isBefore(oldest)) {
      ring.removeFirst();
    }
  }
}
