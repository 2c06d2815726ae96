package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.state.KilnHazelcast;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln cache}: a Hazelcast member holding Kiln's CAS, action cache and execution state. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "Run a Hazelcast member of Kiln's cache cluster.")
final class CacheCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "5701", description = "Member port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--members", defaultValue = "", description = "Other members, host:port,... (env KILN_MEMBERS).")
  String members;

  @Option(names = "--cluster", defaultValue = "kiln", description = "Cluster name (default ${DEFAULT-VALUE}).")
  String cluster;

  @Override
  public Integer call() throws Exception {
    HazelcastInstance hz = KilnHazelcast.member(cluster, host, port, RoleProcess.list(members));
    return RoleProcess.runUntilStopped("kiln cache member ready on " + host + ":" + hz.getCluster().getLocalMember().getAddress().getPort()
        + " (cluster of " + hz.getCluster().getMembers().size() + ")", hz::shutdown);
  }
}
