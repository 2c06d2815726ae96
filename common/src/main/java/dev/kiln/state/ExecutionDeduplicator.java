package dev.kiln.state;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide exact dedup of in-flight actions: the first operation to {@link #claim} an action
 * key runs it; later claimants get the running operation's name and wait on it instead.
 */
public interface ExecutionDeduplicator {
  /** Empty if {@code operationName} now owns {@code actionKey}; otherwise the owner's name. */
  CompletionStage<Optional<String>> claim(String actionKey, String operationName);

  /** Ends the claim, if {@code operationName} still holds it. */
  CompletionStage<Void> release(String actionKey, String operationName);
}
