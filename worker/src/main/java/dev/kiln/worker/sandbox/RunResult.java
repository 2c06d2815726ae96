package dev.kiln.worker.sandbox;

import java.time.Instant;

/** How a command ended. A timed-out command was killed; its exit code is then meaningless. */
public record RunResult(int exitCode, boolean timedOut, Instant started, Instant finished) {}
