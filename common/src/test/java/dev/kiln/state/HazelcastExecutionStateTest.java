package dev.kiln.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.testing.TestHazelcast;
import java.time.Duration;
import org.junit.jupiter.api.Test;
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

  @Test
  void finishedOperationsExpireSoonerThanRunningOnes() {
    HazelcastExecutionState shortLived = new HazelcastExecutionState(HZ.instance(), Duration.ofSeconds(42));
    Futures.await(shortLived.put(OperationRecord.newBuilder().setName("operations/running").build()));
    Futures.await(shortLived.put(OperationRecord.newBuilder().setName("operations/finished").setDone(true).build()));
    assertThat(shortLived.remainingTtl("operations/finished")).contains(Duration.ofSeconds(42));
    assertThat(shortLived.remainingTtl("operations/running").orElseThrow()).isGreaterThan(Duration.ofHours(1));
  }
}
