package dev.kiln.cas.disk;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other members' disks, for one map: a lookup asks each of them (an {@link DiskOp} on the
 * {@value #EXECUTOR} executor, which only touches that member's local files, never Hazelcast, so
 * it cannot wait on the partition this call came from). A member that does not answer in time is
 * skipped; the lookup is then a miss, as it would be had that member's disk been lost.
 */
final class RemoteDisks {
  static final String EXECUTOR = "kiln-disk-tier";
  private static final Logger LOG = LoggerFactory.getLogger(RemoteDisks.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final HazelcastInstance hz;
  private final String mapName;

  RemoteDisks(HazelcastInstance hz, String mapName) {
    this.hz = hz;
    this.mapName = mapName;
  }

  Optional<byte[]> find(String key) {
    for (Future<byte[]> answer : ask(new DiskOp(mapName, key, false)).values()) {
      byte[] v = await(answer);
      if (v != null) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  void deleteElsewhere(String key) {
    ask(new DiskOp(mapName, key, true)).values().forEach(RemoteDisks::await);
  }

  private Map<Member, Future<byte[]>> ask(DiskOp op) {
    Member self = hz.getCluster().getLocalMember();
    Set<Member> others = hz.getCluster().getMembers().stream().filter(m -> !m.equals(self)).collect(Collectors.toSet());
    if (others.isEmpty()) {
      return Map.of();
    }
    IExecutorService executor = hz.getExecutorService(EXECUTOR);
    return executor.submitToMembers(op, others);
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
