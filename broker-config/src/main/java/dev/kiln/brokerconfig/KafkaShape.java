package dev.kiln.brokerconfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Kiln's Kafka shape, read from {@code kiln/topics.properties} and {@code kiln/broker.properties}:
 * the actions and results topics, the workers' share group and the broker settings a
 * single-node KRaft broker needs. One source for the embedded broker, tests and compose.
 */
public record KafkaShape(
    TopicShape actions,
    TopicShape results,
    String shareGroupId,
    Map<String, String> shareGroupConfigs,
    Map<String, String> brokerSettings) {

  /** The shape shipped with Kiln. */
  public static KafkaShape load() {
    Properties topics = PropertiesResource.load("/kiln/topics.properties");
    Properties broker = PropertiesResource.load("/kiln/broker.properties");
    return new KafkaShape(
        topic(topics, "actions"),
        topic(topics, "results"),
        PropertiesResource.require(topics, "share.group.id"),
        withPrefix(topics, "share.group.config."),
        withPrefix(broker, ""));
  }

  /** This shape with {@code partitions} partitions for the actions topic (more workers want more; see docs/operations.md). */
  public KafkaShape withActionPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("the actions topic needs at least one partition, not " + partitions);
    }
    return new KafkaShape(new TopicShape(actions.name(), partitions, actions.replication(), actions.configs()), results, shareGroupId,
        shareGroupConfigs, brokerSettings);
  }

  /** The delivery-count limit after which Kafka archives a record. */
  public int deliveryCountLimit() {
    return Integer.parseInt(shareGroupConfigs.getOrDefault("share.delivery.count.limit", "5"));
  }

  /** The record lock duration of the share group. */
  public long recordLockMillis() {
    return Long.parseLong(shareGroupConfigs.getOrDefault("share.record.lock.duration.ms", "30000"));
  }

  private static TopicShape topic(Properties p, String id) {
    String prefix = "topic." + id + ".";
    return new TopicShape(
        PropertiesResource.require(p, prefix + "name"),
        Integer.parseInt(PropertiesResource.require(p, prefix + "partitions")),
        Short.parseShort(PropertiesResource.require(p, prefix + "replication")),
        withPrefix(p, prefix + "config."));
  }

  private static Map<String, String> withPrefix(Properties p, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().stream()
        .filter(k -> k.startsWith(prefix))
        .sorted()
        .forEach(k -> out.put(k.substring(prefix.length()), p.getProperty(k).trim()));
    return Map.copyOf(out);
  }
}
