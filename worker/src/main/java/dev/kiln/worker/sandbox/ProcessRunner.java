package dev.kiln.worker.sandbox;

import dev.kiln.common.FarmException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Starts a process, waits for it within the timeout, and kills its whole tree when needed. */
final class ProcessRunner {
  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  RunResult run(ProcessBuilder builder, RunRequest request) {
    builder.redirectOutput(request.stdout().toFile()).redirectError(request.stderr().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Instant started = Instant.now();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw FarmException.invalidArgument("Failed to start %s: %s", builder.command().get(0), e.getMessage());
    }
    running.add(process);
    try {
      boolean finished = process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        kill(process);
        process.waitFor(10, TimeUnit.SECONDS);
        return new RunResult(-1, true, started, Instant.now());
      }
      return new RunResult(process.exitValue(), false, started, Instant.now());
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw FarmException.of(com.google.rpc.Code.ABORTED, "interrupted while running %s", builder.command().get(0));
    } finally {
      running.remove(process);
    }
  }

  void killAll() {
    List.copyOf(running).forEach(ProcessRunner::kill);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
