package dev.kiln.scheduler.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Per-minute counters over the last {@code minutes} minutes (a ring, one slot per minute): actions
 * served from the cache, executed, failed (failed or error), and the execution time spent. Counts
 * every action, also those the record ring has already dropped. Thread-safe.
 */
public final class MinuteSeries {
  private final Clock clock;
  private final long[] minute;
  private final long[] hits;
  private final long[] executed;
  private final long[] failed;
  private final long[] executionMs;

  public MinuteSeries(Clock clock, int minutes) {
    this.clock = clock;
    this.minute = new long[minutes];
    this.hits = new long[minutes];
    this.executed = new long[minutes];
    this.failed = new long[minutes];
    this.executionMs = new long[minutes];
  }

  public synchronized void count(ActionRecord r) {
    int i = slot(clock.millis() / 60_000);
    if (r.cache().equals("hit")) {
      hits[i]++;
    } else {
      executed[i]++;
      executionMs[i] += Math.max(0, r.phases().executionMs());
    }
    if (!r.status().equals("ok")) {
      failed[i]++;
    }
  }

  /** The slot of minute {@code m}, emptied first if it last held an older minute. */
  private int slot(long m) {
    int i = (int) (m % minute.length);
    if (minute[i] != m) {
      minute[i] = m;
      hits[i] = 0;
      executed[i] = 0;
      failed[i] = 0;
      executionMs[i] = 0;
    }
    return i;
  }

  /** Oldest first, one entry per minute up to the current one: {minute (epoch ms), hits, executed, failed, executionMs}. */
  public synchronized JsonArray toJson() {
    long now = clock.millis() / 60_000;
    JsonArray out = new JsonArray();
    for (long m = now - minute.length + 1; m <= now; m++) {
      int i = (int) (Math.floorMod(m, (long) minute.length));
      boolean held = minute[i] == m;
      out.add(new JsonObject().put("minute", m * 60_000).put("hits", held ? hits[i] : 0).put("executed", held ? executed[i] : 0)
          .put("failed", held ? failed[i] : 0).put("executionMs", held ? executionMs[i] : 0));
    }
    return out;
  }
}
