package dev.kiln.launcher;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.cas.disk.DiskTiers;
import dev.kiln.state.KilnHazelcast;
import java.nio.file.Path;
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

  @Option(names = "--data-dir", defaultValue = "data/cache",
      description = "The disk tier: blobs and action results kept across restarts (default ${DEFAULT-VALUE}; env KILN_DATA_DIR).")
  Path dataDir;

  @Option(names = "--cas-disk-gb", defaultValue = "20",
      description = "Disk budget in GiB for this member's disk tier, least recently used out first; 0 keeps the cache in memory only (default ${DEFAULT-VALUE}).")
  double casDiskGb;

  @Override
  public Integer call() throws Exception {
    DiskTiers.Settings disk = DiskTiers.settings(dataDir.toAbsolutePath(), casDiskGb);
    HazelcastInstance hz = disk == null ? KilnHazelcast.member(cluster, host, port, RoleProcess.list(members))
        : KilnHazelcast.member(cluster, host, port, RoleProcess.list(members), disk);
    String where = disk == null ? "memory only" : "disk tier " + disk.dir() + ", " + casDiskGb + " GiB";
    return RoleProcess.runUntilStopped("kiln cache member ready on " + host + ":" + hz.getCluster().getLocalMember().getAddress().getPort()
        + " (cluster of " + hz.getCluster().getMembers().size() + ", " + where + ")", hz::shutdown);
  }
}
