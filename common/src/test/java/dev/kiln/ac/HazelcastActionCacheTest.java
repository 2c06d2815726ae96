package dev.kiln.ac;

import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.extension.RegisterExtension;

class HazelcastActionCacheTest extends ActionCacheContract {
  @RegisterExtension
  static final TestHazelcast.Member HZ = new TestHazelcast.Member();

  @Override
  protected ActionCache cache() {
    return new HazelcastActionCache(HZ.instance());
  }
}
