package dev.kiln.cas.disk;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.kiln.brokerconfig.HazelcastShape;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Puts a disk tier under a member's CAS and action-cache maps: {@code <dir>/cas} (70% of the
 * budget, content-addressed), {@code <dir>/ac-raw} (20%, opaque HTTP-cache entries) and
 * {@code <dir>/ac} (10%, action results), each with its partition marks ({@code <dir>/cas.partitions}, ...). Each map gets a write-through {@link DiskMapStore}; the
 * tiers are also registered in the member's user context, where {@link DiskOp} finds them when
 * another member asks. The directory is locked for this member ({@link DirectoryLock}).
 */
public final class DiskTiers {
  private static final String CONTEXT_PREFIX = "kiln.disk-tier.";

  /** Where a member keeps its disk tier and how many bytes it may use there in all. */
  public record Settings(Path dir, long budgetBytes) {
    public Settings {
      if (budgetBytes < 1024 * 1024) {
        throw new IllegalArgumentException("a disk tier budget of " + budgetBytes + " bytes is below the 1 MiB minimum");
      }
    }
  }

  private DiskTiers() {}

  /** Settings from a directory and a budget in GiB (fractions allowed); null for 0 (memory only). */
  public static Settings settings(Path dir, double budgetGib) {
    if (budgetGib < 0 || Double.isNaN(budgetGib)) {
      throw new IllegalArgumentException("a disk budget of " + budgetGib + " GiB is negative");
    }
    return budgetGib == 0 ? null : new Settings(dir, (long) (budgetGib * (1L << 30)));
  }

  /** Adds the disk tier to {@code config} (before the member starts). */
  public static Config attach(Config config, Settings settings, Clock clock) {
    DirectoryLock lock = DirectoryLock.acquire(settings.dir());
    config.addListenerConfig(new ListenerConfig(lock));
    long total = settings.budgetBytes();
    attach(config, HazelcastShape.CAS_MAP, settings.dir(), "cas", total / 10 * 7, DiskFormat.CONTENT_ADDRESSED, clock);
    attach(config, HazelcastShape.RAW_AC_MAP, settings.dir(), "ac-raw", total / 10 * 2, DiskFormat.CHECKSUMMED, clock);
    attach(config, HazelcastShape.AC_MAP, settings.dir(), "ac", total / 10, DiskFormat.CHECKSUMMED, clock);
    return config;
  }

  /** One map's disk tier on this member and the partitions it was written for. */
  record MemberDisk(DiskTier tier, PartitionMarks marks) {}

  private static void attach(Config config, String mapName, Path dir, String name, long budget, DiskFormat format, Clock clock) {
    MemberDisk disk = new MemberDisk(new FileDiskTier(dir.resolve(name), budget, format, clock), new PartitionMarks(dir.resolve(name + ".partitions")));
    userContext(config).put(CONTEXT_PREFIX + mapName, disk);
    config.getMapConfig(mapName).setMapStoreConfig(new MapStoreConfig().setEnabled(true).setImplementation(new DiskMapStore(disk.tier(), disk.marks()))
        .setWriteDelaySeconds(0).setInitialLoadMode(MapStoreConfig.InitialLoadMode.LAZY).setOffload(true));
  }

  /** This member's disk tier for {@code mapName}, or null when it has none. */
  public static DiskTier local(HazelcastInstance hz, String mapName) {
    MemberDisk disk = memberDisk(hz, mapName);
    return disk == null ? null : disk.tier();
  }

  static MemberDisk memberDisk(HazelcastInstance hz, String mapName) {
    return (MemberDisk) hz.getUserContext().get(CONTEXT_PREFIX + mapName);
  }

  private static ConcurrentMap<String, Object> userContext(Config config) {
    if (config.getUserContext() == null || config.getUserContext().isEmpty()) {
      ConcurrentMap<String, Object> ctx = new ConcurrentHashMap<>();
      config.setUserContext(ctx);
      return ctx;
    }
    return config.getUserContext();
  }
}
