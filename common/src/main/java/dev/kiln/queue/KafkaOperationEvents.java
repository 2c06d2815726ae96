package dev.kiln.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.OperationEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The results topic: a sink for workers and a broadcast feed for front nodes. */
public final class KafkaOperationEvents {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaOperationEvents.class);

  private KafkaOperationEvents() {}

  /** Workers publish progress and results here (key = operation name). */
  public static OperationEventSink sink(String bootstrap, KafkaShape shape, String clientId) {
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        KafkaActionQueue.producerConfig(bootstrap, clientId), new StringSerializer(), new ByteArraySerializer());
    String topic = shape.results().name();
    return new OperationEventSink() {
      @Override
      public CompletionStage<Void> publish(OperationEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, event.getOperationName(), event.toByteArray()), (m, e) -> {
          if (e != null) {
            done.completeExceptionally(FarmException.unavailable("Failed to publish result of %s: %s", event.getOperationName(), e));
          } else {
            done.complete(null);
          }
        });
        return done;
      }

      @Override
      public void close() {
        producer.close(Duration.ofSeconds(5));
      }
    };
  }

  /** A front node reads every partition from the end: no group, no rebalances, no commits. */
  public static OperationEventFeed feed(String bootstrap, KafkaShape shape, String clientId) {
    return new Feed(bootstrap, shape.results().name(), clientId);
  }

  private static final class Feed implements OperationEventFeed {
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private volatile boolean closed;
    private Thread thread;

    Feed(String bootstrap, String topic, String clientId) {
      Map<String, Object> cfg = new HashMap<>();
      cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
      cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      cfg.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
      cfg.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
      this.consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer());
      this.topic = topic;
    }

    @Override
    public void start(Consumer<OperationEvent> listener) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      thread = new Thread(() -> loop(listener), "kiln-results-feed");
      thread.setDaemon(true);
      thread.start();
    }

    private void loop(Consumer<OperationEvent> listener) {
      try {
        while (!closed) {
          for (ConsumerRecord<String, byte[]> r : poll()) {
            try {
              listener.accept(OperationEvent.parseFrom(r.value()));
            } catch (InvalidProtocolBufferException e) {
              LOG.error("skipping malformed result event at offset {}: {}", r.offset(), e.getMessage());
            } catch (RuntimeException e) {
              LOG.error("result listener failed on {}", r.key(), e);
            }
          }
        }
      } catch (WakeupException e) {
        if (!closed) {
          throw e;
        }
      } finally {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    /** One poll; trouble with the broker is logged and retried, never fatal to the feed. */
    private Iterable<ConsumerRecord<String, byte[]>> poll() {
      try {
        return consumer.poll(Duration.ofSeconds(1));
      } catch (WakeupException e) {
        throw e;
      } catch (org.apache.kafka.common.KafkaException e) {
        LOG.warn("results feed: poll failed, retrying: {}", e.toString());
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        return List.of();
      }
    }

    @Override
    public void close() {
      closed = true;
      consumer.wakeup();
      if (thread != null) {
        try {
          thread.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }
}
