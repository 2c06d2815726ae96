package dev.kiln.worker.sandbox;

import dev.kiln.common.FarmException;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts a process, waits for it within the timeout while a watch checks limits the kernel does
 * not enforce (disk use), and kills its whole tree when it runs out of time or over a limit.
 */
final class ProcessRunner {
  private static final long POLL_MILLIS = 200;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  RunResult run(ProcessBuilder builder, RunRequest request) {
    return run(builder, request, Optional::empty, () -> {});
  }

  /**
   * @param overLimit polled while the process runs; a reason stops it
   * @param killGroup kills what the process left behind (its cgroup)
   */
  RunResult run(ProcessBuilder builder, RunRequest request, Supplier<Optional<String>> overLimit, Runnable killGroup) {
    builder.redirectOutput(request.stdout().toFile()).redirectError(request.stderr().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Instant started = Instant.now();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw FarmException.invalidArgument("Failed to start %s: %s", builder.command().get(0), e.getMessage());
    }
    running.add(process);
    try {
      long deadline = System.nanoTime() + request.timeout().toNanos();
      Optional<String> limit = Optional.empty();
      boolean timedOut = false;
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          timedOut = true;
          break;
        }
        if (process.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS), TimeUnit.MILLISECONDS)) {
          break;
        }
        limit = overLimit.get();
        if (limit.isPresent()) {
          break;
        }
      }
      if (timedOut || limit.isPresent()) {
        kill(process);
        killGroup.run();
        process.waitFor(10, TimeUnit.SECONDS);
        return new RunResult(-1, timedOut, started, Instant.now(), limit);
      }
      return new RunResult(process.exitValue(), false, started, Instant.now());
    } catch (InterruptedException e) {
      kill(process);
      killGroup.run();
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
