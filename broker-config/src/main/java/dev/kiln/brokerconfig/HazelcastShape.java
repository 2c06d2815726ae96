package dev.kiln.brokerconfig;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.YamlConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Kiln's Hazelcast shape ({@code kiln/hazelcast.yaml}): map names, backups, eviction and TTLs,
 * plus the loopback-friendly network settings applied from the command line.
 */
public final class HazelcastShape {
  public static final String CAS_MAP = "kiln-cas";
  public static final String AC_MAP = "kiln-ac";
  public static final String RAW_AC_MAP = "kiln-ac-raw";
  public static final String GOMA_FILES_MAP = "kiln-goma-files";
  public static final String OPERATIONS_MAP = "kiln-operations";
  public static final String INFLIGHT_MAP = "kiln-inflight";
  public static final String WORKERS_MAP = "kiln-workers";
  public static final String LEASES_MAP = "kiln-leases";

  private HazelcastShape() {}

  /**
   * A member config listening on {@code host:port} that joins {@code members} over TCP/IP
   * (an empty list means a cluster of one). Multicast and auto-detection are off. {@code host}
   * is an IP address, or 0.0.0.0 to let Hazelcast pick the machine's address (containers).
   */
  public static Config memberConfig(String clusterName, String host, int port, List<String> members) {
    Config config;
    try (InputStream in = HazelcastShape.class.getResourceAsStream("/kiln/hazelcast.yaml")) {
      if (in == null) {
        throw new IllegalStateException("missing resource /kiln/hazelcast.yaml");
      }
      config = new YamlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (clusterName != null) {
      config.setClusterName(clusterName);
    }
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port == 0 ? 5701 : port).setPortAutoIncrement(port == 0).setPortCount(200);
    boolean anyInterface = host == null || host.equals("0.0.0.0");
    if (!anyInterface) {
      // A fixed address (loopback in tests and `kiln up`): bind and advertise exactly that one.
      network.getInterfaces().setEnabled(true).addInterface(host);
      config.setProperty("hazelcast.local.localAddress", host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(anyInterface ? "127.0.0.1" : host) : members);
    return config;
  }
}
