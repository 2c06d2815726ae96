package dev.kiln.launcher;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln topics}: create Kiln's topics and share-group settings on a Kafka cluster, then exit. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Create Kiln's topics on an existing Kafka cluster (idempotent).")
final class TopicsCommand implements Callable<Integer> {
  @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (env KILN_KAFKA).")
  String kafka;

  @Option(names = "--action-partitions", description = "Partitions of the actions topic (default: as in topics.properties, 1; "
      + "about one per 128 workers, see docs/operations.md). An existing topic is grown, never shrunk.")
  Integer actionPartitions;

  @Override
  public Integer call() {
    KafkaShape shape = actionPartitions == null ? KafkaShape.load() : KafkaShape.load().withActionPartitions(actionPartitions);
    TopicInitializer.ensure(kafka, shape, 120_000);
    System.out.println("kiln topics ready on " + kafka);
    return 0;
  }
}
