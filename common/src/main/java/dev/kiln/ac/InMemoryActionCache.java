package dev.kiln.ac;

import build.bazel.remote.execution.v2.ActionResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** An action cache in a map: the fake for tests. */
public final class InMemoryActionCache implements ActionCache {
  private final Map<ActionKey, ActionResult> results = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Optional<ActionResult>> get(ActionKey key) {
    return CompletableFuture.completedFuture(Optional.ofNullable(results.get(key)));
  }

  @Override
  public CompletionStage<Void> put(ActionKey key, ActionResult result) {
    results.put(key, result);
    return CompletableFuture.completedFuture(null);
  }
}
