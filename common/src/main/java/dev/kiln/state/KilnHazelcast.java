package dev.kiln.state;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.cas.disk.DiskTiers;
import java.time.Clock;
import java.util.List;

/** Starts a Hazelcast member with Kiln's map shape, or a client of such members. */
public final class KilnHazelcast {
  private KilnHazelcast() {}

  /**
   * A member on {@code host:port} (port 0: first free port from 5701) joining {@code members};
   * an empty member list starts a cluster of one.
   */
  public static HazelcastInstance member(String clusterName, String host, int port, List<String> members) {
    return Hazelcast.newHazelcastInstance(HazelcastShape.memberConfig(clusterName, host, port, members));
  }

  /**
   * The same member with a disk tier under its CAS and action-cache maps (ADR 0011): writes reach
   * its disk before they are acknowledged, memory misses read it, and a restart on the same
   * directory keeps everything.
   */
  public static HazelcastInstance member(String clusterName, String host, int port, List<String> members, DiskTiers.Settings disk) {
    return Hazelcast.newHazelcastInstance(DiskTiers.attach(HazelcastShape.memberConfig(clusterName, host, port, members), disk, Clock.systemUTC()));
  }

  /**
   * A client of the members at {@code addresses} (host:port). Smart routing sends each call to
   * the partition owner; operations are redone after a member dies, and the client keeps trying
   * to reconnect (front nodes and workers outlive cache members).
   */
  public static HazelcastInstance client(String clusterName, List<String> addresses) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().setSmartRouting(true).setRedoOperation(true).addAddress(addresses.toArray(new String[0]));
    config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1).setMaxBackoffMillis(2000);
    return HazelcastClient.newHazelcastClient(config);
  }
}
