package dev.kiln.client.remote;

import dev.kiln.client.compiler.CompilerDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Race mode (Goma's): when a remote compile has been sent and no answer came within the delay, the
 * proxy also runs it here; whichever finishes first is the result. If the farm wins, the local
 * process is killed before the farm's outputs are written (atomically, over whatever it left); if
 * the local run wins, the farm's answer is dropped without writing anything. A farm that fails
 * leaves the local run to finish, and the result carries the farm's error: a local fallback with
 * its reason, not a race the local run won. Local runs use the proxy's environment. A decorator over the
 * remote path; compiles that are not remote never race.
 */
public final class RacingCompiler implements Compiler {
  private final GomaRemoteCompiler remote;
  private final Duration delay;
  private final Executor executor;
  private final Path scratch;

  public RacingCompiler(GomaRemoteCompiler remote, Duration delay, Executor executor, Path scratch) {
    this.remote = remote;
    this.delay = delay;
    this.executor = executor;
    this.scratch = scratch;
  }

  @Override
  public Map<String, CompilerDetails> compilers() {
    return remote.compilers();
  }

  @Override
  public CompileResult compile(List<String> argv, Path cwd, CompileTask task) throws NotRemotable, IOException, InterruptedException {
    Race race = new Race();
    CompletableFuture<CompileResult> farm = CompletableFuture.supplyAsync(() -> {
      try {
        return remote.compile(argv, cwd, task, race::claimForFarm);
      } catch (NotRemotable | IOException e) {
        throw new CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, executor);
    while (!farm.isDone() && !task.awaitPhase("upload", 20)) {
      // the request is not on its way yet (parsing, scanning): nothing to race
    }
    try {
      return farm.get(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // slow answer: race it
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
    Path out = Files.createTempFile(scratch, "race", ".out");
    Path err = Files.createTempFile(scratch, "race", ".err");
    try {
      Process local = race.startLocal(new ProcessBuilder(argv).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()));
      if (local == null) {
        return join(farm);
      }
      try {
        CompletableFuture.anyOf(farm, local.onExit()).get();
      } catch (ExecutionException e) {
        // the farm failed first: the local run decides
      }
      if (farm.isDone() && !farm.isCompletedExceptionally() && race.claimForFarm()) {
        return join(farm);
      }
      int exit = local.waitFor();
      if (race.claimForLocal()) {
        Exception farmError = failure(farm);
        return farmError != null ? CompileResult.fallback(exit, Files.readAllBytes(out), Files.readAllBytes(err), farmError)
            : CompileResult.local(exit, Files.readAllBytes(out), Files.readAllBytes(err));
      }
      return join(farm);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static CompileResult join(CompletableFuture<CompileResult> farm) throws NotRemotable, IOException, InterruptedException {
    try {
      return farm.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /** The farm's failure if it has already failed (then the local run is a fallback, not a race it won), else null. */
  private static Exception failure(CompletableFuture<CompileResult> farm) throws InterruptedException {
    if (!farm.isCompletedExceptionally()) {
      return null;
    }
    try {
      join(farm);
      return null;
    } catch (NotRemotable | IOException e) {
      return e;
    }
  }

  private static IOException unwrap(ExecutionException e) throws NotRemotable, InterruptedException {
    Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
    if (c instanceof NotRemotable nr) {
      throw nr;
    }
    if (c instanceof InterruptedException ie) {
      throw ie;
    }
    return c instanceof IOException io ? io : new IOException(c);
  }

  /** Who writes the outputs: decided once, under one lock, so the two sides never both write. */
  private static final class Race {
    private String winner;
    private Process local;

    synchronized Process startLocal(ProcessBuilder pb) throws IOException {
      if (winner != null) {
        return null;
      }
      local = pb.start();
      return local;
    }

    /** The farm's result is in: it wins unless the local run already did; a running local run is killed first. */
    synchronized boolean claimForFarm() {
      if ("local".equals(winner)) {
        return false;
      }
      if (winner == null && local != null) {
        local.destroyForcibly();
        try {
          local.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      winner = "farm";
      return true;
    }

    synchronized boolean claimForLocal() {
      if ("farm".equals(winner)) {
        return false;
      }
      winner = "local";
      return true;
    }
  }
}
