package dev.kiln.launcher;

import java.util.List;
import picocli.CommandLine.Option;

/** Where a front node or worker finds the farm: Kafka and the cache members. */
final class ClusterOptions {
  @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (env KILN_KAFKA).")
  String kafka;

  @Option(names = "--cache", defaultValue = "127.0.0.1:5701", description = "Cache members, host:port,... (env KILN_CACHE).")
  String cache;

  @Option(names = "--cluster", defaultValue = "kiln", description = "Cache cluster name (default ${DEFAULT-VALUE}).")
  String cluster;

  List<String> cacheMembers() {
    return RoleProcess.list(cache);
  }
}
