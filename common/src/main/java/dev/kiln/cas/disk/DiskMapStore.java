package dev.kiln.cas.disk;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The disk tier under one Hazelcast map on one member. Hazelcast calls {@link #store} on the
 * partition owner before a write is acknowledged (write-delay 0: write-through) and {@link #load}
 * when the owner's memory misses; what load answers is put back in memory (promotion). A key this
 * member's disk lacks is asked of the other members' disks that were written for its partition
 * ({@link RemoteDisks}, {@link PartitionMarks}): after a restart or a rebalance the partition's
 * owner is often not the member that wrote it. A value found that
 * way is written to this disk too, so it follows its partition. Nothing is loaded eagerly.
 */
public final class DiskMapStore implements MapStore<String, byte[]>, MapLoaderLifecycleSupport {
  private final DiskTier tier;
  private final PartitionMarks marks;
  private HazelcastInstance hz;
  private RemoteDisks remote;

  DiskMapStore(DiskTier tier, PartitionMarks marks) {
    this.tier = tier;
    this.marks = marks;
  }

  @Override
  public void init(HazelcastInstance hz, Properties properties, String mapName) {
    this.hz = hz;
    this.remote = new RemoteDisks(hz, mapName);
  }

  @Override
  public void destroy() {}

  @Override
  public void store(String key, byte[] value) {
    marks.mark(partition(key));
    tier.write(key, value);
  }

  @Override
  public void storeAll(Map<String, byte[]> entries) {
    entries.forEach(this::store);
  }

  @Override
  public void delete(String key) {
    tier.delete(key);
    remote.deleteElsewhere(key);
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    keys.forEach(this::delete);
  }

  @Override
  public byte[] load(String key) {
    Optional<byte[]> local = tier.read(key);
    if (local.isPresent()) {
      return local.get();
    }
    Optional<byte[]> elsewhere = remote.find(key, partition(key));
    elsewhere.ifPresent(v -> store(key, v));
    return elsewhere.orElse(null);
  }

  private int partition(String key) {
    return hz.getPartitionService().getPartition(key).getPartitionId();
  }

  @Override
  public Map<String, byte[]> loadAll(Collection<String> keys) {
    Map<String, byte[]> found = new HashMap<>();
    for (String k : keys) {
      byte[] v = load(k);
      if (v != null) {
        found.put(k, v);
      }
    }
    return found;
  }

  @Override
  public Iterable<String> loadAllKeys() {
    return null;
  }
}
