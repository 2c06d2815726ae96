package dev.kiln.ac;

import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.extension.RegisterExtension;

class HazelcastOpaqueActionCacheTest extends OpaqueActionCacheContract {
  @RegisterExtension
  static final TestHazelcast.Member HZ = new TestHazelcast.Member();

  @Override
  protected OpaqueActionCache cache() {
    return new HazelcastOpaqueActionCache(HZ.instance());
  }
}
