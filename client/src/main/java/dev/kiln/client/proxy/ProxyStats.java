package dev.kiln.client.proxy;

import dev.kiln.client.remote.CompileTask;
import dev.kiln.proto.goma.ExecResp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the proxy did: counters for /statz, the running tasks and the last finished ones for the dashboard. */
public final class ProxyStats {

  private final AtomicLong remote = new AtomicLong();
  private final AtomicLong cacheHit = new AtomicLong();
  private final AtomicLong localOutputCacheHit = new AtomicLong();
  private final AtomicLong localFallback = new AtomicLong();
  private final AtomicLong local = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong raceLocalWon = new AtomicLong();
  private final AtomicLong authRefused = new AtomicLong();
  private final AtomicLong refusedAnswer = new AtomicLong();
  private final AtomicLong refusedCaller = new AtomicLong();
  private volatile String authReason = "";
  private final Deque<CompileTask> recent = new ArrayDeque<>();
  private final Map<Long, CompileTask> active = new java.util.concurrent.ConcurrentSkipListMap<>();

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

  void raceLocalWon() {
    raceLocalWon.incrementAndGet();
  }

  void failed() {
    failed.incrementAndGet();
  }

  /** A fallback because the farm refused the credentials; true the first time for this reason (log it once). */
  boolean authRefused(String reason) {
    authRefused.incrementAndGet();
    boolean first = !reason.equals(authReason);
    authReason = reason;
    return first;
  }

  /** Why the farm last refused the credentials, or "" if it never did. */
  public String authReason() {
    return authReason;
  }

  /** A farm answer refused (undeclared outputs, missing ones): also counted as failed. */
  void refusedAnswer() {
    refusedAnswer.incrementAndGet();
  }

  /** A request refused by the {@link CallerGuard}. */
  void refusedCaller() {
    refusedCaller.incrementAndGet();
  }

  void started(CompileTask t) {
    active.put(t.id(), t);
  }

  synchronized void finished(CompileTask t) {
    active.remove(t.id());
    recent.addFirst(t);
    while (recent.size() > 200) {
      recent.removeLast();
    }
  }

  public synchronized List<CompileTask> recent() {
    return List.copyOf(recent);
  }

  public List<CompileTask> active() {
    return List.copyOf(active.values());
  }

  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("remote", remote.get());
    m.put("cache_hit", cacheHit.get());
    m.put("local_output_cache_hit", localOutputCacheHit.get());
    m.put("local_fallback", localFallback.get());
    m.put("local", local.get());
    m.put("failed", failed.get());
    m.put("race_local_won", raceLocalWon.get());
    m.put("auth_refused", authRefused.get());
    m.put("refused_answer", refusedAnswer.get());
    m.put("refused_caller", refusedCaller.get());
    return m;
  }
}
