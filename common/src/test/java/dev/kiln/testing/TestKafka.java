package dev.kiln.testing;

import dev.kiln.broker.EmbeddedKafkaBroker;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.brokerconfig.TopicInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real in-process KRaft broker with Kiln's topics, for tests. */
public final class TestKafka implements AutoCloseable {
  private final EmbeddedKafkaBroker broker;
  private final Path dir;
  private final KafkaShape shape = KafkaShape.load();

  private TestKafka(Path dir) {
    this.dir = dir;
    this.broker = EmbeddedKafkaBroker.start(dir, "127.0.0.1", 0);
    TopicInitializer.ensure(broker.bootstrapServers(), shape, 60_000);
  }

  public static TestKafka start() {
    try {
      return new TestKafka(Files.createTempDirectory("kiln-kafka"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrap() {
    return broker.bootstrapServers();
  }

  public KafkaShape shape() {
    return shape;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    broker.close();
  }
}
