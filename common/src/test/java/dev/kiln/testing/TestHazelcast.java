package dev.kiln.testing;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.state.KilnHazelcast;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Real Hazelcast members on loopback, in a cluster of their own (unique name per call). */
public final class TestHazelcast {
  private TestHazelcast() {}

  public static String uniqueClusterName() {
    return "kiln-test-" + UUID.randomUUID();
  }

  public static HazelcastInstance member(String clusterName) {
    return KilnHazelcast.member(clusterName, "127.0.0.1", 0, List.of());
  }

  /** A second member joining {@code first}. */
  public static HazelcastInstance join(String clusterName, HazelcastInstance first) {
    var addr = first.getCluster().getLocalMember().getAddress();
    return KilnHazelcast.member(clusterName, "127.0.0.1", 0, List.of(addr.getHost() + ":" + addr.getPort()));
  }

  /**
   * One member, in a cluster of its own, for a whole test class:
   * {@code @RegisterExtension static final TestHazelcast.Member HZ = new TestHazelcast.Member();}
   */
  public static final class Member implements BeforeAllCallback, AfterAllCallback {
    private HazelcastInstance hz;

    @Override
    public void beforeAll(ExtensionContext context) {
      hz = member(uniqueClusterName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
      hz.shutdown();
    }

    public HazelcastInstance instance() {
      return hz;
    }
  }
}
