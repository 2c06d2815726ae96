package dev.kiln.cas.disk;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other members' disks, for one map. A lookup asks only the members whose
 * {@link PartitionMarks} say they were written for the key's partition: in a cluster whose
 * partitions never moved nobody is asked. The marks are fetched once and kept until a partition
 * migrates or membership changes (the only ways a partition's entries can be on another disk than
 * its owner's), and at most 10 seconds. The questions are {@link DiskOp}s on the {@value #EXECUTOR} executor, which only
 * touch local files, never Hazelcast, so they cannot wait on the partition a lookup came from. A
 * member that does not answer in time is skipped, as if its disk were lost.
 */
final class RemoteDisks implements MigrationListener, MembershipListener {
  static final String EXECUTOR = "kiln-disk-tier";
  private static final Logger LOG = LoggerFactory.getLogger(RemoteDisks.class);
  private static final long TIMEOUT_SECONDS = 10;
  /** Marks are refetched at least this often, in case a migration event was not seen here. */
  private static final long MARKS_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final HazelcastInstance hz;
  private final String mapName;
  private final AtomicLong generation = new AtomicLong();
  private volatile Map<Member, BitSet> marks;
  private volatile long marksFetchedAt;

  RemoteDisks(HazelcastInstance hz, String mapName) {
    this.hz = hz;
    this.mapName = mapName;
    hz.getPartitionService().addMigrationListener(this);
    hz.getCluster().addMembershipListener(this);
  }

  Optional<byte[]> find(String key, int partition) {
    Set<Member> holders = marks().entrySet().stream().filter(e -> e.getValue().get(partition)).map(Map.Entry::getKey).collect(Collectors.toSet());
    if (holders.isEmpty()) {
      return Optional.empty();
    }
    for (Future<byte[]> answer : hz.getExecutorService(EXECUTOR).submitToMembers(new DiskOp(mapName, key, DiskOp.Kind.READ), holders).values()) {
      byte[] v = await(answer);
      if (v != null) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  void deleteElsewhere(String key) {
    ask(new DiskOp(mapName, key, DiskOp.Kind.DELETE)).values().forEach(RemoteDisks::await);
  }

  private Map<Member, BitSet> marks() {
    Map<Member, BitSet> known = marks;
    if (known != null && System.nanoTime() - marksFetchedAt < MARKS_MAX_AGE_NANOS) {
      return known;
    }
    long gen = generation.get();
    long fetchedAt = System.nanoTime();
    Map<Member, BitSet> fresh = new HashMap<>();
    ask(new DiskOp(mapName, null, DiskOp.Kind.MARKS)).forEach((member, answer) -> {
      byte[] bits = await(answer);
      // A member that did not answer is asked for every partition until the next refresh.
      BitSet set = bits != null ? BitSet.valueOf(bits) : allPartitions();
      fresh.put(member, set);
    });
    if (generation.get() == gen) {
      marksFetchedAt = fetchedAt;
      marks = fresh;
    }
    return fresh;
  }

  private BitSet allPartitions() {
    BitSet all = new BitSet();
    all.set(0, hz.getPartitionService().getPartitions().size());
    return all;
  }

  private Map<Member, Future<byte[]>> ask(DiskOp op) {
    Member self = hz.getCluster().getLocalMember();
    Set<Member> others = hz.getCluster().getMembers().stream().filter(m -> !m.equals(self)).collect(Collectors.toSet());
    if (others.isEmpty()) {
      return Map.of();
    }
    return hz.getExecutorService(EXECUTOR).submitToMembers(op, others);
  }

  private void invalidate() {
    generation.incrementAndGet();
    marks = null;
  }

  @Override
  public void migrationStarted(MigrationState state) {
    invalidate();
  }

  @Override
  public void migrationFinished(MigrationState state) {
    invalidate();
  }

  @Override
  public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
    invalidate();
  }

  @Override
  public void replicaMigrationFailed(ReplicaMigrationEvent event) {
    invalidate();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    invalidate();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    invalidate();
  }

  private static byte[] await(Future<byte[]> answer) {
    try {
      return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      LOG.warn("a member's disk tier did not answer: {}", e.toString());
      return null;
    }
  }
}
