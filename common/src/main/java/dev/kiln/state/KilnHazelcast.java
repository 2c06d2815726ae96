package dev.kiln.state;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.HazelcastShape;
import java.util.List;

/** Starts a Hazelcast member with Kiln's map shape. */
public final class KilnHazelcast {
  private KilnHazelcast() {}

  /**
   * A member on {@code host:port} (port 0: first free port from 5701) joining {@code members};
   * an empty member list starts a cluster of one.
   */
  public static HazelcastInstance member(String clusterName, String host, int port, List<String> members) {
    return Hazelcast.newHazelcastInstance(HazelcastShape.memberConfig(clusterName, host, port, members));
  }
}
