package dev.kiln.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small helpers over {@link CompletionStage}, the async type of Kiln's core interfaces. */
public final class Futures {
  private Futures() {}

  /** Completes with every result, in order, or fails with the first failure. */
  public static <T> CompletionStage<List<T>> all(Collection<? extends CompletionStage<T>> stages) {
    List<CompletableFuture<T>> futures = new ArrayList<>(stages.size());
    for (CompletionStage<T> s : stages) {
      futures.add(s.toCompletableFuture());
    }
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  public static <T> CompletionStage<T> failed(Throwable t) {
    return CompletableFuture.failedFuture(t);
  }

  /** Runs {@code body}; an exception it throws becomes a failed stage. */
  public static <T> CompletionStage<T> attempt(java.util.function.Supplier<CompletionStage<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  /** Waits for a stage on a thread that may block (never an event loop); unwraps FarmException. */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (RuntimeException e) {
      throw FarmException.from(e);
    }
  }
}
