package dev.kiln.brokerconfig;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How big a farm the queue and state settings carry: {@code workers} processes of {@code slots}
 * each, and {@code builds} concurrent builds of {@code jobs} actions in flight. {@link #problems}
 * checks Kiln's shipped Kafka and Hazelcast settings against it (docs/operations.md, "Sizing").
 */
public record FarmSizing(int workers, int slots, int builds, int jobs) {
  /** What the shipped settings are meant for: 1,000 workers x 32 slots, 10 builds at -j500. */
  public static final FarmSizing TARGET = new FarmSizing(1000, 32, 10, 500);

  /** Members sharing one actions partition (one member per worker); a partition stalls only when all are busy. */
  public static final int MEMBERS_PER_PARTITION = 128;

  /** Partitions for the actions topic: one per {@link #MEMBERS_PER_PARTITION} workers. */
  public int actionPartitions() {
    return Math.max(1, (workers + MEMBERS_PER_PARTITION - 1) / MEMBERS_PER_PARTITION);
  }

  /** Actions in flight at once. */
  public int inFlight() {
    return builds * jobs;
  }

  /** Every way {@code shape} and {@code hazelcast} fall short of this farm; empty when they carry it. */
  public List<String> problems(KafkaShape shape, Config hazelcast) {
    List<String> out = new ArrayList<>();
    int partitions = shape.actions().partitions();
    int maxMembers = brokerInt(shape, "group.share.max.size", 200);
    int sessions = brokerInt(shape, "group.share.max.share.sessions", 2000);
    int locks = brokerInt(shape, "group.share.partition.max.record.locks", 2000);
    check(out, workers <= maxMembers, "%d workers are %d share-group members, over group.share.max.size=%d", workers, workers, maxMembers);
    check(out, workers <= sessions, "%d workers need %d share sessions, over group.share.max.share.sessions=%d", workers, workers, sessions);
    check(out, partitions <= workers, "%d partitions for %d workers: a partition would have no member", partitions, workers);
    int membersPerPartition = (workers + partitions - 1) / partitions;
    check(out, membersPerPartition <= locks, "%d members per partition can hold %d unacknowledged records, over %d record locks",
        membersPerPartition, membersPerPartition, locks);
    check(out, (long) partitions * locks >= inFlight(), "%d partitions x %d record locks < %d actions in flight", partitions, locks, inFlight());
    check(out, shape.recordLockMillis() <= 60_000, "record lock %d ms: a hung worker would hold back its partition that long",
        shape.recordLockMillis());
    bounded(out, hazelcast, HazelcastShape.OPERATIONS_MAP, true, true);
    bounded(out, hazelcast, HazelcastShape.INFLIGHT_MAP, true, false);
    bounded(out, hazelcast, HazelcastShape.WORKERS_MAP, true, false);
    return out;
  }

  private static void bounded(List<String> out, Config hz, String map, boolean ttl, boolean size) {
    MapConfig m = hz.getMapConfig(map);
    check(out, !ttl || m.getTimeToLiveSeconds() > 0, "map %s has no time-to-live", map);
    check(out, !size || m.getEvictionConfig().getSize() < Integer.MAX_VALUE, "map %s has no size bound", map);
  }

  private static int brokerInt(KafkaShape shape, String key, int kafkaDefault) {
    return Integer.parseInt(shape.brokerSettings().getOrDefault(key, Integer.toString(kafkaDefault)));
  }

  private static void check(List<String> out, boolean ok, String format, Object... args) {
    if (!ok) {
      out.add(String.format(format, args));
    }
  }
}
