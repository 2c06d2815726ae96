package dev.kiln.scheduler.metrics;

import dev.kiln.ac.ActionKey;
import dev.kiln.ac.OpaqueActionCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Counts the hits of the HTTP cache's opaque entries (what ccache stores under {@code /ac/}) in
 * {@code kiln_action_cache_lookups_total{protocol, result="hit"}}. A miss is not counted here: the
 * HTTP cache then asks the typed action cache, whose {@link MeteredActionCache} (same protocol)
 * counts the hit or the miss, so each {@code GET /ac/} is counted exactly once.
 */
public final class MeteredOpaqueActionCache implements OpaqueActionCache {
  private final OpaqueActionCache delegate;
  private final Counter hits;

  public MeteredOpaqueActionCache(OpaqueActionCache delegate, MeterRegistry registry, String protocol) {
    this.delegate = delegate;
    this.hits = Counter.builder(MeteredActionCache.LOOKUPS).description("Action cache lookups by protocol and result")
        .tag("protocol", protocol).tag("result", "hit").register(registry);
  }

  @Override
  public CompletionStage<Optional<byte[]>> get(ActionKey key) {
    return delegate.get(key).thenApply(found -> {
      if (found.isPresent()) {
        hits.increment();
      }
      return found;
    });
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, byte[] value) {
    return delegate.put(key, value);
  }

  @Override
  public CompletionStage<Void> delete(ActionKey key) {
    return delegate.delete(key);
  }
}
