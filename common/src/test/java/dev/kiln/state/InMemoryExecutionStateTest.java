package dev.kiln.state;

class InMemoryExecutionStateTest extends ExecutionStateContract {
  private final InMemoryExecutionState state = new InMemoryExecutionState();

  @Override
  protected ExecutionStateReader reader() {
    return state;
  }

  @Override
  protected ExecutionStateWriter writer() {
    return state;
  }

  @Override
  protected ExecutionDeduplicator deduplicator() {
    return state;
  }

  @Override
  protected WorkerRegistry registry() {
    return state;
  }
}
