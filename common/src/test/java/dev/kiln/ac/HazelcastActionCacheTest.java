package dev.kiln.ac;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class HazelcastActionCacheTest extends ActionCacheContract {
  private static HazelcastInstance hz;

  @BeforeAll
  static void start() {
    hz = TestHazelcast.member(TestHazelcast.uniqueClusterName());
  }

  @AfterAll
  static void stop() {
    hz.shutdown();
  }

  @Override
  protected ActionCache cache() {
    return new HazelcastActionCache(hz);
  }
}
