package dev.kiln.scheduler.health;

import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.state.WorkerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The front node's readiness rule, shared by {@code /readyz} and {@code grpc.health.v1}: the broker
 * answers, the cache answers, and at least one registered worker has an alive slot (each
 * heartbeat's {@code slots} counts the slots whose thread is alive). Reading the worker registry
 * is the cache check: it is a Hazelcast read, so it fails or does not answer when the cache is
 * unreachable. Each check is bounded by {@code timeout}; all problems are reported, not the first.
 * A registry read that has not answered yet is waited on again rather than repeated, so an
 * unreachable cache does not pile up blocked reads.
 */
public final class FarmReadiness implements Readiness {
  private final Readiness broker;
  private final WorkerRegistry registry;
  private final Duration timeout;
  private CompletableFuture<List<WorkerHeartbeat>> registryRead;

  public FarmReadiness(Readiness broker, WorkerRegistry registry, Duration timeout) {
    this.broker = broker;
    this.registry = registry;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<List<String>> problems() {
    CompletableFuture<List<String>> brokerProblems = within(attempt(broker::problems))
        .exceptionally(e -> List.of("broker unreachable: " + reason(e)));
    CompletableFuture<List<String>> cacheProblems = within(readRegistry())
        .thenApply(FarmReadiness::workerProblems)
        .exceptionally(e -> List.of("cache unreachable: " + reason(e)));
    return brokerProblems.thenCombine(cacheProblems, (b, c) -> {
      List<String> all = new ArrayList<>(b);
      all.addAll(c);
      return List.copyOf(all);
    });
  }

  private synchronized CompletableFuture<List<WorkerHeartbeat>> readRegistry() {
    if (registryRead == null || registryRead.isDone()) {
      registryRead = copy(attempt(registry::live));
    }
    return registryRead;
  }

  static List<String> workerProblems(List<WorkerHeartbeat> workers) {
    long slots = WorkerRegistry.aliveSlots(workers);
    return slots > 0 ? List.of() : List.of("no worker with an alive slot (" + workers.size() + " worker(s) registered)");
  }

  private static <T> CompletionStage<T> attempt(java.util.function.Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A copy of {@code stage} that fails with a TimeoutException after {@code timeout}. */
  private <T> CompletableFuture<T> within(CompletionStage<T> stage) {
    return copy(stage).orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static <T> CompletableFuture<T> copy(CompletionStage<T> stage) {
    CompletableFuture<T> copy = new CompletableFuture<>();
    stage.whenComplete((v, e) -> {
      if (e != null) {
        copy.completeExceptionally(e);
      } else {
        copy.complete(v);
      }
    });
    return copy;
  }

  private String reason(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
