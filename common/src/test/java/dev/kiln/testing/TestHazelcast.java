package dev.kiln.testing;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.state.KilnHazelcast;
import java.util.List;
import java.util.UUID;

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
}
