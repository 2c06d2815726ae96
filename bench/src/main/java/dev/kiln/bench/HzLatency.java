package dev.kiln.bench;

import com.hazelcast.map.IMap;
import dev.kiln.launcher.EmbeddedFarm;

/** Diagnostic: latency of one async Hazelcast get, joined, inside a running farm. */
public final class HzLatency {
  public static void main(String[] args) throws Exception {
    try (EmbeddedFarm farm = BenchFarm.start(1, 1)) {
      IMap<String, byte[]> map = farm.hazelcast().getMap("kiln-cas");
      map.set("k", new byte[100]);
      for (int round = 0; round < 3; round++) {
        Stats async = new Stats();
        Stats sync = new Stats();
        for (int i = 0; i < 3000; i++) {
          long t0 = System.nanoTime();
          map.getAsync("k").toCompletableFuture().join();
          async.add(System.nanoTime() - t0);
          t0 = System.nanoTime();
          map.get("k");
          sync.add(System.nanoTime() - t0);
        }
        System.out.printf("getAsync+join p50 %.3f p99 %.3f ms | get p50 %.3f p99 %.3f ms%n", async.p(0.5), async.p(0.99), sync.p(0.5), sync.p(0.99));
      }
    }
  }
}
