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

  @Override
  public Integer call() {
    TopicInitializer.ensure(kafka, KafkaShape.load(), 120_000);
    System.out.println("kiln topics ready on " + kafka);
    return 0;
  }
}
