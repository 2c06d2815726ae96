package dev.kiln.scheduler.metrics;

import build.bazel.remote.execution.v2.ActionResult;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Counts the lookups of one protocol's action cache: {@code kiln_action_cache_lookups_total{protocol,
 * result="hit|miss"}}. A lookup is counted when it answers; a failed lookup is neither a hit nor a
 * miss and is not counted. Writes pass through uncounted. One instance per protocol, around the
 * completeness-checked cache, so a hit is one the client is actually served.
 */
public final class MeteredActionCache implements ActionCache {
  public static final String LOOKUPS = "kiln.action_cache.lookups";

  private final ActionCache delegate;
  private final Counter hits;
  private final Counter misses;

  public MeteredActionCache(ActionCache delegate, MeterRegistry registry, String protocol) {
    this.delegate = delegate;
    this.hits = counter(registry, protocol, "hit");
    this.misses = counter(registry, protocol, "miss");
  }

  private static Counter counter(MeterRegistry registry, String protocol, String result) {
    return Counter.builder(LOOKUPS).description("Action cache lookups by protocol and result")
        .tag("protocol", protocol).tag("result", result).register(registry);
  }

  @Override
  public CompletionStage<Optional<ActionResult>> get(ActionKey key) {
    return delegate.get(key).thenApply(found -> {
      (found.isPresent() ? hits : misses).increment();
      return found;
    });
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, ActionResult result) {
    return delegate.put(key, result);
  }
}
