package dev.kiln.brokerconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Kiln's topics when they are missing, grows a topic that has fewer partitions than the
 * shape asks for (Kafka cannot shrink one; more are left alone, with a warning) and applies the
 * share-group settings. Idempotent: every front node and worker may run it at start-up.
 */
public final class TopicInitializer {
  private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

  private TopicInitializer() {}

  private static void grow(Admin admin, KafkaShape shape, Set<String> existing, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (TopicShape t : List.of(shape.actions(), shape.results())) {
      if (!existing.contains(t.name())) {
        continue;
      }
      int now = admin.describeTopics(List.of(t.name())).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(t.name()).partitions().size();
      if (now < t.partitions()) {
        admin.createPartitions(Map.of(t.name(), NewPartitions.increaseTo(t.partitions()))).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        LOG.info("grew topic {} from {} to {} partitions", t.name(), now, t.partitions());
      } else if (now > t.partitions()) {
        LOG.warn("topic {} has {} partitions, more than the {} asked for; Kafka cannot shrink a topic, so it keeps {}", t.name(), now,
            t.partitions(), now);
      }
    }
  }

  /** Ensures the shape on the cluster at {@code bootstrap}, waiting up to {@code timeoutMs}. */
  public static void ensure(String bootstrap, KafkaShape shape, long timeoutMs) {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs))) {
      Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicShape t : List.of(shape.actions(), shape.results())) {
        if (!existing.contains(t.name())) {
          missing.add(new NewTopic(t.name(), t.partitions(), t.replication()).configs(t.configs()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
          LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw e;
          }
        }
      }
      grow(admin, shape, existing, timeoutMs);
      ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, shape.shareGroupId());
      List<AlterConfigOp> ops = shape.shareGroupConfigs().entrySet().stream()
          .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
          .toList();
      admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kiln's topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Failed to create Kiln's topics on " + bootstrap + ": " + e, e);
    }
  }
}
