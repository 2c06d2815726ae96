package dev.kiln.queue;

import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.proto.events.QueuedAction;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes queued actions to the actions topic (key = action digest hash) with acks=all and
 * idempotence, so an accepted action survives a broker restart.
 */
public final class KafkaActionQueue implements ActionQueue {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  public KafkaActionQueue(String bootstrap, KafkaShape shape, String clientId) {
    this.producer = new KafkaProducer<>(producerConfig(bootstrap, clientId), new StringSerializer(), new ByteArraySerializer());
    this.topic = shape.actions().name();
  }

  static Map<String, Object> producerConfig(String bootstrap, String clientId) {
    Map<String, Object> cfg = new HashMap<>();
    cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cfg.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    cfg.put(ProducerConfig.ACKS_CONFIG, "all");
    cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    cfg.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    return cfg;
  }

  @Override
  public CompletionStage<Void> enqueue(QueuedAction action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, action.getActionDigest().getHash(), action.toByteArray()), (meta, err) -> {
      if (err != null) {
        done.completeExceptionally(dev.kiln.common.FarmException.unavailable("Failed to queue action %s: %s", action.getOperationName(), err));
      } else {
        done.complete(null);
      }
    });
    return done;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
