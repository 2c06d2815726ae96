package dev.kiln.cas.disk;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.state.KilnHazelcast;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real Hazelcast members on loopback, each with a disk tier in its own directory. */
final class DiskBackedMembers implements AutoCloseable {
  private final String cluster;
  private final long budget;
  private final List<HazelcastInstance> members = new ArrayList<>();

  DiskBackedMembers(String cluster, long budgetBytes) {
    this.cluster = cluster;
    this.budget = budgetBytes;
  }

  /** A member on {@code dir}, joining the members started so far. */
  HazelcastInstance start(Path dir) {
    List<String> join = members.isEmpty() ? List.of() : List.of(address(members.get(0)));
    HazelcastInstance hz = KilnHazelcast.member(cluster, "127.0.0.1", 0, join, new DiskTiers.Settings(dir, budget));
    members.add(hz);
    return hz;
  }

  void shutdown(HazelcastInstance hz) {
    hz.shutdown();
    members.remove(hz);
  }

  /** Stops every member (gracefully, one after the other). */
  @Override
  public void close() {
    for (HazelcastInstance hz : List.copyOf(members)) {
      shutdown(hz);
    }
  }

  private static String address(HazelcastInstance hz) {
    var a = hz.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }
}
