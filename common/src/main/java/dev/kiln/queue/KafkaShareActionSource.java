package dev.kiln.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.brokerconfig.KafkaShape;
import dev.kiln.proto.events.QueuedAction;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's membership of the share group on the actions topic (KIP-932): explicit per-record
 * acknowledgement, up to {@code batch} records per poll, redelivery when the worker dies before acknowledging (its
 * session closes) and a delivery count per record. The worker acknowledges as soon as it holds a
 * lease in the cluster, so records stay locked for milliseconds, not for the action's run.
 * See docs/adr/0002-kafka-share-groups.md and docs/adr/0009-queue-leases-and-fair-share.md.
 */
public final class KafkaShareActionSource implements ActionSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaShareActionSource.class);

  private final KafkaShareConsumer<String, byte[]> consumer;
  private final int batch;
  private Iterator<ConsumerRecord<String, byte[]>> buffered = List.<ConsumerRecord<String, byte[]>>of().iterator();

  /** A member taking one record per poll. */
  public KafkaShareActionSource(String bootstrap, KafkaShape shape, String clientId) {
    this(bootstrap, shape, clientId, 1);
  }

  /** A member taking up to {@code batch} records per poll (the worker asks only when that many slots are free). */
  public KafkaShareActionSource(String bootstrap, KafkaShape shape, String clientId, int batch) {
    this.batch = Math.max(1, batch);
    Map<String, Object> cfg = new HashMap<>();
    cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, shape.shareGroupId());
    cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    cfg.put("share.acknowledgement.mode", "explicit");
    cfg.put("share.acquire.mode", "record_limit");
    cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, this.batch);
    // The share consumer can stall for a whole fetch.max.wait.ms (500 ms default) at times.
    cfg.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    cfg.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    this.consumer = new KafkaShareConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer());
    this.consumer.setAcknowledgementCommitCallback((offsets, error) -> {
      if (error != null) {
        LOG.warn("acknowledgement of {} failed (the action may be delivered again): {}", offsets, error.toString());
      }
    });
    this.consumer.subscribe(List.of(shape.actions().name()));
  }

  @Override
  public Optional<ActionLease> next(Duration timeout) {
    while (true) {
      if (!buffered.hasNext()) {
        buffered = consumer.poll(timeout).iterator();
        if (!buffered.hasNext()) {
          return Optional.empty();
        }
      }
      ConsumerRecord<String, byte[]> record = buffered.next();
      try {
        return Optional.of(new Lease(record, QueuedAction.parseFrom(record.value())));
      } catch (InvalidProtocolBufferException e) {
        LOG.error("dropping malformed record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        settle(record, AcknowledgeType.REJECT);
      }
    }
  }

  /**
   * Acknowledges without a round trip of its own: the acknowledgement rides on the next poll, or
   * goes out with {@link #flush} when the worker will not poll for a while. If it is lost, the
   * record is delivered again, and the worker that gets it finds the operation leased or done.
   */
  private void settle(ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
    consumer.acknowledge(record, type);
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public boolean hasBuffered() {
    return buffered.hasNext();
  }

  @Override
  public void flush() {
    consumer.commitAsync();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }

  private final class Lease implements ActionLease {
    private final ConsumerRecord<String, byte[]> record;
    private final QueuedAction action;

    Lease(ConsumerRecord<String, byte[]> record, QueuedAction action) {
      this.record = record;
      this.action = action;
    }

    @Override
    public QueuedAction action() {
      return action;
    }

    @Override
    public int deliveryCount() {
      return record.deliveryCount().map(Short::intValue).orElse(1);
    }

    @Override
    public void complete() {
      settle(record, AcknowledgeType.ACCEPT);
    }

    @Override
    public void release() {
      settle(record, AcknowledgeType.RELEASE);
    }

    @Override
    public void reject() {
      settle(record, AcknowledgeType.REJECT);
    }
  }
}
