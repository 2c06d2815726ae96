package dev.kiln.state;

import dev.kiln.proto.events.OperationRecord;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Reads what the cluster knows about an operation (WaitExecution from any front node). */
public interface ExecutionStateReader {
  CompletionStage<Optional<OperationRecord>> get(String operationName);
}
