package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.ActionResult;
import dev.kiln.common.Digest;

/**
 * Where the protocol endpoints report what they did with an action, so that every executed or
 * cache-served action leaves a record: {@link #served} for an answer from the action cache,
 * {@link #admitted} for an action queued (or joined); its end arrives later on the results feed.
 * Calls never block and never fail the request.
 */
public interface ActionJournal {
  /** {@code action} was answered from the action cache with {@code result}. */
  void served(Requester who, Digest action, ActionResult result);

  /** {@code action} runs as operation {@code operationName} (queued now, or an identical one joined). */
  void admitted(Requester who, String operationName, Digest action);
}
