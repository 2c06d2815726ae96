package dev.kiln.cas.disk;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Runs on another member, on its disk tier for one map, touching only local files: READ a key
 * (verified), DELETE a key, or answer the MARKS of the partitions written there. Answers the
 * value read or the marks, else null (absent, deleted, or no disk tier on that member).
 */
final class DiskOp implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
  private static final long serialVersionUID = 2L;

  enum Kind { READ, DELETE, MARKS }

  private final String mapName;
  private final String key;
  private final Kind kind;
  private transient HazelcastInstance hz;

  DiskOp(String mapName, String key, Kind kind) {
    this.mapName = mapName;
    this.key = key;
    this.kind = kind;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hz) {
    this.hz = hz;
  }

  @Override
  public byte[] call() {
    DiskTiers.MemberDisk disk = DiskTiers.memberDisk(hz, mapName);
    if (disk == null) {
      return null;
    }
    return switch (kind) {
      case READ -> disk.tier().read(key).orElse(null);
      case DELETE -> {
        disk.tier().delete(key);
        yield null;
      }
      case MARKS -> disk.marks().toByteArray();
    };
  }
}
