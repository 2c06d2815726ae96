package dev.kiln.bench;

import dev.kiln.launcher.EmbeddedFarm;
import java.nio.file.Files;
import java.time.Duration;

/** Starts the embedded farm the benchmarks measure. */
final class BenchFarm {
  private BenchFarm() {}

  static EmbeddedFarm start(int workers, int slots) throws Exception {
    return EmbeddedFarm.start(new EmbeddedFarm.Options("127.0.0.1", 0, workers, slots, Files.createTempDirectory("kiln-bench"),
        false, "kiln-bench-" + System.nanoTime(), Duration.ofSeconds(30)));
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }
}
