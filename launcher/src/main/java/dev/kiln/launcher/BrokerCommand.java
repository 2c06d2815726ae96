package dev.kiln.launcher;

import dev.kiln.broker.EmbeddedKafkaBroker;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln broker}: a single-node KRaft Kafka broker with Kiln's topics, for users without Kafka. */
@Command(name = "broker", mixinStandardHelpOptions = true, description = "Run a single-node Kafka broker (KRaft) with Kiln's topics.")
final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on, and to advertise unless --advertised-host (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--advertised-host", description = "Name clients connect to when it differs from --host (e.g. --host 0.0.0.0 --advertised-host kafka in a container).")
  String advertisedHost;

  @Option(names = "--port", defaultValue = "9092", description = "Kafka port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "data/broker", description = "Kafka's log directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.toAbsolutePath(), host, advertisedHost != null ? advertisedHost : host, port);
    TopicInitializer.ensure(broker.bootstrapServers(), KafkaShape.load(), 60_000);
    return RoleProcess.runUntilStopped("kiln broker ready on " + broker.bootstrapServers(), broker);
  }
}
