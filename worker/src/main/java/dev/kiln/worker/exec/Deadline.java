package dev.kiln.worker.exec;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.time.Duration;

/**
 * An action's timeout, covering every phase the worker spends on it: laying out inputs, running,
 * collecting outputs. Checked between steps; the run itself gets what is left.
 */
final class Deadline {
  private final long end;
  private final Duration timeout;

  Deadline(Duration timeout) {
    this.timeout = timeout;
    this.end = System.nanoTime() + timeout.toNanos();
  }

  Duration remaining() {
    return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
  }

  /** DEADLINE_EXCEEDED naming {@code phase} when the time is up. */
  void check(String phase) {
    if (System.nanoTime() >= end) {
      throw expired(phase);
    }
  }

  FarmException expired(String phase) {
    return FarmException.of(Code.DEADLINE_EXCEEDED, "action exceeded its timeout of %d s while %s", timeout.toSeconds(), phase);
  }
}
