package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.common.Futures;
import dev.kiln.common.Hashing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MeteredActionCacheTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemoryActionCache backing = new InMemoryActionCache();
  private final ActionKey key = new ActionKey("", Hashing.sha256Hex("action".getBytes()));

  private double count(String protocol, String result) {
    return registry.get(MeteredActionCache.LOOKUPS).tag("protocol", protocol).tag("result", result).counter().count();
  }

  @Test
  void countsAMissThenAHitUnderItsProtocol() {
    ActionCache reapi = new MeteredActionCache(backing, registry, "reapi");
    assertThat(Futures.await(reapi.get(key))).isEmpty();
    Futures.await(reapi.put(key, ActionResult.newBuilder().setExitCode(0).build()));
    assertThat(Futures.await(reapi.get(key))).isPresent();
    assertThat(Futures.await(reapi.get(key))).isPresent();

    assertThat(count("reapi", "miss")).isEqualTo(1);
    assertThat(count("reapi", "hit")).isEqualTo(2);
  }

  @Test
  void protocolsAreCountedApartOverOneCache() {
    ActionCache reapi = new MeteredActionCache(backing, registry, "reapi");
    ActionCache goma = new MeteredActionCache(backing, registry, "goma");
    Futures.await(goma.get(key));
    Futures.await(reapi.put(key, ActionResult.getDefaultInstance()));
    Futures.await(goma.get(key));

    assertThat(count("goma", "miss")).isEqualTo(1);
    assertThat(count("goma", "hit")).isEqualTo(1);
    assertThat(count("reapi", "miss")).isZero();
    assertThat(count("reapi", "hit")).isZero();
  }

  @Test
  void seriesExistAtZeroBeforeTheFirstLookup() {
    new MeteredActionCache(backing, registry, "http_cache");
    assertThat(count("http_cache", "hit")).isZero();
    assertThat(count("http_cache", "miss")).isZero();
  }

  @Test
  void aFailedLookupIsNeitherHitNorMissAndStillFails() {
    ActionCache failing = new ActionCache() {
      @Override
      public CompletionStage<Optional<ActionResult>> get(ActionKey k) {
        return CompletableFuture.failedFuture(new IllegalStateException("cache down"));
      }

      @Override
      public CompletionStage<Void> put(ActionKey k, ActionResult r) {
        return CompletableFuture.completedFuture(null);
      }
    };
    ActionCache metered = new MeteredActionCache(failing, registry, "reapi");
    assertThat(metered.get(key).toCompletableFuture()).isCompletedExceptionally();
    assertThat(count("reapi", "hit") + count("reapi", "miss")).isZero();
  }
}
