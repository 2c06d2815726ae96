package dev.kiln.state;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class HazelcastExecutionStateTest extends ExecutionStateContract {
  private static HazelcastInstance hz;
  private static HazelcastExecutionState state;

  @BeforeAll
  static void start() {
    hz = TestHazelcast.member(TestHazelcast.uniqueClusterName());
    state = new HazelcastExecutionState(hz);
  }

  @AfterAll
  static void stop() {
    hz.shutdown();
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
