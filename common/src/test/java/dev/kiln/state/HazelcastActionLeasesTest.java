package dev.kiln.state;

import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class HazelcastActionLeasesTest extends ActionLeasesContract {
  @RegisterExtension
  static final TestHazelcast.Member HZ = new TestHazelcast.Member();
  private static HazelcastActionLeases leases;

  @BeforeAll
  static void start() {
    leases = new HazelcastActionLeases(HZ.instance());
  }

  @Override
  protected ActionLeases leases() {
    return leases;
  }
}
