package dev.kiln.scheduler.grpc;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partial ByteStream uploads by resource name, so that a client whose Write was cut off can ask
 * QueryWriteStatus and resume from the committed size with the same name (Bazel does). Entries
 * are dropped once complete or after {@code retention} without progress.
 */
final class UploadTracker {
  private final Map<String, Partial> partials = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;

  static final class Partial {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile Instant touched;

    Partial(Instant now) {
      touched = now;
    }

    synchronized long size() {
      return bytes.size();
    }
  }

  UploadTracker(Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
  }

  /** The partial upload under {@code name}, creating an empty one when {@code offset} is 0. */
  Optional<Partial> resume(String name, long offset) {
    expire();
    if (offset == 0) {
      Partial p = new Partial(clock.instant());
      partials.put(name, p);
      return Optional.of(p);
    }
    Partial p = partials.get(name);
    if (p == null || p.size() != offset) {
      return Optional.empty();
    }
    p.touched = clock.instant();
    return Optional.of(p);
  }

  Optional<Long> committed(String name) {
    return Optional.ofNullable(partials.get(name)).map(Partial::size);
  }

  void done(String name) {
    partials.remove(name);
  }

  private void expire() {
    Instant cutoff = clock.instant().minus(retention);
    partials.values().removeIf(p -> p.touched.isBefore(cutoff));
  }
}
