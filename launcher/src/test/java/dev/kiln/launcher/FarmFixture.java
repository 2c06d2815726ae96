package dev.kiln.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/** Starts a real embedded farm (KRaft broker, Hazelcast, front node, sandboxed workers) for tests. */
final class FarmFixture {
  private FarmFixture() {}

  static EmbeddedFarm start(int workers, int slots, Duration keepalive) {
    try {
      return EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, workers, slots,
          Files.createTempDirectory("kiln-farm"), false, "kiln-test-" + System.nanoTime(), keepalive));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
