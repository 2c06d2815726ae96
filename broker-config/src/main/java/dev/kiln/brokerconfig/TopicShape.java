package dev.kiln.brokerconfig;

import java.util.Map;

/** Name, partitions, replication and topic-level configs of one Kiln topic. */
public record TopicShape(String name, int partitions, short replication, Map<String, String> configs) {}
