package dev.kiln.cas.disk;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Runs on another member: reads (verified) or deletes one key in that member's disk tier for a
 * map. Answers the value read, or null (absent, deleted, or no disk tier on that member).
 */
final class DiskOp implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;

  private final String mapName;
  private final String key;
  private final boolean delete;
  private transient HazelcastInstance hz;

  DiskOp(String mapName, String key, boolean delete) {
    this.mapName = mapName;
    this.key = key;
    this.delete = delete;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hz) {
    this.hz = hz;
  }

  @Override
  public byte[] call() {
    DiskTier tier = DiskTiers.local(hz, mapName);
    if (tier == null) {
      return null;
    }
    if (delete) {
      tier.delete(key);
      return null;
    }
    return tier.read(key).orElse(null);
  }
}
