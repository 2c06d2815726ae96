package dev.kiln.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobCacheTest {
  @TempDir
  Path tmp;

  private final InMemoryBlobStore cas = new InMemoryBlobStore();

  private Digest blob(int size, int fill) {
    byte[] data = new byte[size];
    Arrays.fill(data, (byte) fill);
    Digest d = Digest.of(data);
    Futures.await(cas.put(d, data));
    return d;
  }

  private boolean cached(Digest d) {
    return Files.exists(tmp.resolve("cache").resolve(d.hash().substring(0, 2)).resolve(d.hash()));
  }

  @Test
  void evictsLeastRecentlyUsedBlobsByBytes() {
    LocalBlobCache cache = new LocalBlobCache(tmp.resolve("cache"), cas, 3000);
    Digest a = blob(1000, 1);
    Digest b = blob(1000, 2);
    Digest c = blob(1000, 3);
    Digest d = blob(1500, 4);
    cache.ensure(List.of(a, b, c));
    cache.ensure(List.of(a));
    cache.ensure(List.of(d));
    assertThat(cached(a)).isTrue();
    assertThat(cached(b)).isFalse();
    assertThat(cached(c)).isFalse();
    assertThat(cached(d)).isTrue();
    assertThat(cache.usedBytes()).isEqualTo(2500);
  }

  @Test
  void aBlobEvictedBeforeItIsCopiedIsFetchedAgain() throws IOException {
    LocalBlobCache cache = new LocalBlobCache(tmp.resolve("cache"), cas, 1000);
    Digest a = blob(1000, 1);
    Digest b = blob(1000, 2);
    cache.ensure(List.of(a));
    cache.ensure(List.of(b));
    assertThat(cached(a)).isFalse();
    Path target = tmp.resolve("a.out");
    cache.copyTo(a, target);
    assertThat(Digest.of(Files.readAllBytes(target))).isEqualTo(a);
  }

  @Test
  void aRestartKeepsTheCacheAndItsBudget() {
    Digest a = blob(1000, 1);
    Digest b = blob(1000, 2);
    new LocalBlobCache(tmp.resolve("cache"), cas, 10_000).ensure(List.of(a, b));
    LocalBlobCache again = new LocalBlobCache(tmp.resolve("cache"), cas, 1000);
    assertThat(again.usedBytes()).isEqualTo(1000);
    assertThat(cached(a) ^ cached(b)).isTrue();
  }
}
