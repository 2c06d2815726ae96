package dev.kiln.scheduler;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The front node's one way off the event loop and back: blocking or CPU-heavy work (hashing
 * large blobs) runs on Vert.x's worker pool, and async results of the core interfaces
 * ({@link CompletionStage}s completed on Hazelcast or Kafka threads) come back on the caller's
 * context. Nothing else in the front node blocks or hops threads.
 */
public final class Blocking {
  private final Vertx vertx;

  public Blocking(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code work} on a worker thread (unordered). */
  public <T> Future<T> run(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Runs {@code work} on a worker thread and waits for the stage it returns, off the loop. */
  public <T> Future<T> runAsync(Callable<CompletionStage<T>> work) {
    return run(work).compose(Blocking::onContext);
  }

  /** Continues on the current Vert.x context when {@code stage} completes. */
  public static <T> Future<T> onContext(CompletionStage<T> stage) {
    Context ctx = Vertx.currentContext();
    return ctx == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, ctx);
  }

  /** Calls {@code body}; an exception it throws becomes a failed future. */
  public static <T> Future<T> attempt(Callable<Future<T>> body) {
    try {
      return body.call();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
