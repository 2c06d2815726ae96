package dev.kiln.ac;

import build.bazel.remote.execution.v2.ActionResult;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The action cache: action digest (per instance) to the ActionResult it produced. Only
 * successful, cacheable results are written by workers; clients may write with
 * UpdateActionResult. {@link CompletenessCheckingActionCache} makes sure a hit never points at
 * blobs the CAS has lost.
 */
public interface ActionCache {
  CompletionStage<Optional<ActionResult>> get(ActionKey key);

  CompletionStage<Void> put(ActionKey key, ActionResult result);
}
