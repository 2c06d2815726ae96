package dev.kiln.client.proxy;

import dev.kiln.proto.goma.ExecResp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the proxy did: counters for /statz, and the last tasks for the dashboard. */
public final class ProxyStats {
  /** One finished task: what ran, how, how long, and why it ran locally if it did. */
  public record Task(String command, String outcome, long millis, String reason) {}

  private final AtomicLong remote = new AtomicLong();
  private final AtomicLong cacheHit = new AtomicLong();
  private final AtomicLong localOutputCacheHit = new AtomicLong();
  private final AtomicLong localFallback = new AtomicLong();
  private final AtomicLong local = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Deque<Task> recent = new ArrayDeque<>();

  void remote(ExecResp.CacheSource source) {
    remote.incrementAndGet();
    if (source != ExecResp.CacheSource.NO_CACHE) {
      cacheHit.incrementAndGet();
    }
    if (source == ExecResp.CacheSource.LOCAL_OUTPUT_CACHE) {
      localOutputCacheHit.incrementAndGet();
    }
  }

  void fallback() {
    localFallback.incrementAndGet();
  }

  void local() {
    local.incrementAndGet();
  }

  void failed() {
    failed.incrementAndGet();
  }

  synchronized void finished(Task t) {
    recent.addFirst(t);
    while (recent.size() > 200) {
      recent.removeLast();
    }
  }

  public synchronized List<Task> recent() {
    return List.copyOf(recent);
  }

  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("remote", remote.get());
    m.put("cache_hit", cacheHit.get());
    m.put("local_output_cache_hit", localOutputCacheHit.get());
    m.put("local_fallback", localFallback.get());
    m.put("local", local.get());
    m.put("failed", failed.get());
    return m;
  }
}
