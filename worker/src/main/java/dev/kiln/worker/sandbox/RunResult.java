package dev.kiln.worker.sandbox;

import java.time.Instant;
import java.util.Optional;

/**
 * How a command ended. A timed-out command was killed; its exit code is then meaningless. When a
 * limit stopped it, {@code limitHit} says which, in words for the client ("its memory limit of
 * 4096 MiB").
 */
public record RunResult(int exitCode, boolean timedOut, Instant started, Instant finished, Optional<String> limitHit) {
  public RunResult(int exitCode, boolean timedOut, Instant started, Instant finished) {
    this(exitCode, timedOut, started, finished, Optional.empty());
  }

  RunResult withLimitHit(Optional<String> hit) {
    return new RunResult(exitCode, timedOut, started, finished, hit);
  }
}
