package dev.kiln.state;

import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class HazelcastExecutionStateTest extends ExecutionStateContract {
  @RegisterExtension
  static final TestHazelcast.Member HZ = new TestHazelcast.Member();
  private static HazelcastExecutionState state;

  @BeforeAll
  static void start() {
    state = new HazelcastExecutionState(HZ.instance());
  }

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
