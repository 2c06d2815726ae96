package dev.kiln.ac;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class HazelcastOpaqueActionCacheTest extends OpaqueActionCacheContract {
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
  protected OpaqueActionCache cache() {
    return new HazelcastOpaqueActionCache(hz);
  }
}
