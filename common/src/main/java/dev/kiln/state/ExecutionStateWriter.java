package dev.kiln.state;

import dev.kiln.proto.events.OperationRecord;
import java.util.concurrent.CompletionStage;

/** Records an operation's progress and completion (front nodes on accept, workers after). */
public interface ExecutionStateWriter {
  CompletionStage<Void> put(OperationRecord record);
}
