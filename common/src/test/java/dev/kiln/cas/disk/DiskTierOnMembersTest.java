package dev.kiln.cas.disk;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.OutputFile;
import com.hazelcast.core.HazelcastInstance;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.CompletenessCheckingActionCache;
import dev.kiln.ac.HazelcastActionCache;
import dev.kiln.ac.HazelcastOpaqueActionCache;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.cas.BlobStore;
import dev.kiln.cas.HazelcastBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.testing.TestHazelcast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier under real Hazelcast members: restarts, rebalances, budgets, corruption. */
class DiskTierOnMembersTest {
  private static final long MIB = 1024 * 1024;

  @TempDir
  Path tmp;

  private static List<Digest> putBlobs(BlobStore cas, String prefix, int n) {
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = utf8(prefix + " blob " + i);
      Digest d = Digest.of(data);
      Futures.await(cas.put(d, data));
      digests.add(d);
    }
    return digests;
  }

  private static void evictMemory(HazelcastInstance hz) {
    hz.getMap(HazelcastShape.CAS_MAP).evictAll();
    hz.getMap(HazelcastShape.AC_MAP).evictAll();
    hz.getMap(HazelcastShape.RAW_AC_MAP).evictAll();
  }

  @Test
  void fullRestartOnTheSameDirectoriesKeepsEveryBlobAndActionResult() {
    String cluster = TestHazelcast.uniqueClusterName();
    Path dirA = tmp.resolve("a");
    Path dirB = tmp.resolve("b");
    List<Digest> blobs;
    ActionKey key = new ActionKey("main", Digest.of(utf8("action")));
    ActionKey raw = new ActionKey("", Digest.of(utf8("ccache entry")));
    ActionResult result;
    try (DiskBackedMembers members = new DiskBackedMembers(cluster, 64 * MIB)) {
      HazelcastInstance a = members.start(dirA);
      members.start(dirB);
      BlobStore cas = new HazelcastBlobStore(a);
      blobs = putBlobs(cas, "restart", 200);
      result = ActionResult.newBuilder().addOutputFiles(OutputFile.newBuilder().setPath("out.o").setDigest(blobs.get(7).toProto())).build();
      Futures.await(new HazelcastActionCache(a).put(key, result));
      Futures.await(new HazelcastOpaqueActionCache(a).put(raw, utf8("opaque bytes")));
    }
    // New members on the same directories, started in the other order: partitions land elsewhere.
    try (DiskBackedMembers members = new DiskBackedMembers(cluster, 64 * MIB)) {
      members.start(dirB);
      HazelcastInstance a = members.start(dirA);
      BlobStore cas = new HazelcastBlobStore(a);
      assertThat(Futures.await(cas.findMissing(blobs))).isEmpty();
      for (Digest d : blobs) {
        assertThat(Futures.await(cas.get(d))).as("blob %s", d).isPresent();
      }
      var ac = new CompletenessCheckingActionCache(new HazelcastActionCache(a), cas);
      assertThat(Futures.await(ac.get(key))).hasValue(result);
      assertThat(Futures.await(new HazelcastOpaqueActionCache(a).get(raw))).hasValueSatisfying(v -> assertThat(v).isEqualTo(utf8("opaque bytes")));
    }
  }

  @Test
  void aMemberThatJoinsLaterServesWhatAnotherMemberHasOnDisk() {
    try (DiskBackedMembers members = new DiskBackedMembers(TestHazelcast.uniqueClusterName(), 64 * MIB)) {
      HazelcastInstance a = members.start(tmp.resolve("a"));
      List<Digest> blobs = putBlobs(new HazelcastBlobStore(a), "moved", 200);
      HazelcastInstance b = members.start(tmp.resolve("b"));
      evictMemory(b);
      BlobStore viaB = new HazelcastBlobStore(b);
      assertThat(Futures.await(viaB.findMissing(blobs))).isEmpty();
      evictMemory(b);
      for (Digest d : blobs) {
        assertThat(Futures.await(viaB.get(d))).as("blob %s", d).isPresent();
      }
      // What b fetched from a's disk for its own partitions is now on b's disk too.
      assertThat(DiskTiers.local(b, HazelcastShape.CAS_MAP).usedBytes()).isPositive();
    }
  }

  @Test
  void overTheBudgetTheLeastRecentlyUsedBlobsGoFirst() {
    try (DiskBackedMembers members = new DiskBackedMembers(TestHazelcast.uniqueClusterName(), 10 * MIB)) {
      HazelcastInstance a = members.start(tmp.resolve("a"));
      BlobStore cas = new HazelcastBlobStore(a);
      List<Digest> blobs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        byte[] data = new byte[(int) MIB];
        data[0] = (byte) i;
        Digest d = Digest.of(data);
        Futures.await(cas.put(d, data));
        blobs.add(d);
        if (i >= 2) {
          // FindMissingBlobs keeps blob 0 in use; blob 1 is never asked for again.
          assertThat(Futures.await(cas.findMissing(List.of(blobs.get(0))))).isEmpty();
        }
      }
      evictMemory(a);
      DiskTier disk = DiskTiers.local(a, HazelcastShape.CAS_MAP);
      assertThat(disk.usedBytes()).isLessThanOrEqualTo(7 * MIB);
      assertThat(Futures.await(cas.get(blobs.get(1)))).isEmpty();
      assertThat(Futures.await(cas.get(blobs.get(2)))).isEmpty();
      assertThat(Futures.await(cas.get(blobs.get(0)))).isPresent();
      assertThat(Futures.await(cas.get(blobs.get(11)))).isPresent();
    }
  }

  @Test
  void anActionResultWhoseOutputLeftBothTiersIsNotServed() {
    try (DiskBackedMembers members = new DiskBackedMembers(TestHazelcast.uniqueClusterName(), 10 * MIB)) {
      HazelcastInstance a = members.start(tmp.resolve("a"));
      BlobStore cas = new HazelcastBlobStore(a);
      byte[] output = new byte[(int) MIB];
      Digest out = Digest.of(output);
      Futures.await(cas.put(out, output));
      ActionKey key = new ActionKey("main", Digest.of(utf8("links a big binary")));
      var ac = new CompletenessCheckingActionCache(new HazelcastActionCache(a), cas);
      Futures.await(ac.put(key, ActionResult.newBuilder().addOutputFiles(OutputFile.newBuilder().setPath("a.out").setDigest(out.toProto())).build()));
      evictMemory(a);
      assertThat(Futures.await(ac.get(key))).isPresent();
      for (int i = 1; i <= 8; i++) {
        byte[] other = new byte[(int) MIB];
        other[0] = (byte) i;
        Futures.await(cas.put(Digest.of(other), other));
      }
      evictMemory(a);
      assertThat(Futures.await(cas.get(out))).isEmpty();
      assertThat(Futures.await(ac.get(key))).isEmpty();
    }
  }

  @Test
  void aSecondMemberOnTheSameDirectoryIsRefused() {
    try (DiskBackedMembers members = new DiskBackedMembers(TestHazelcast.uniqueClusterName(), 64 * MIB)) {
      members.start(tmp.resolve("a"));
      assertThatThrownBy(() -> members.start(tmp.resolve("a"))).hasMessageContaining("in use by another cache member");
    }
  }

  @Test
  void aCorruptFileIsAMiss() throws IOException {
    Path dir = tmp.resolve("a");
    try (DiskBackedMembers members = new DiskBackedMembers(TestHazelcast.uniqueClusterName(), 64 * MIB)) {
      HazelcastInstance a = members.start(dir);
      BlobStore cas = new HazelcastBlobStore(a);
      Digest d = putBlobs(cas, "corrupt", 1).get(0);
      evictMemory(a);
      Path file = dir.resolve("cas").resolve(d.hash().substring(0, 2)).resolve(d.hash());
      Files.write(file, utf8("not the blob"));
      assertThat(Futures.await(cas.findMissing(List.of(d)))).containsExactly(d);
      assertThat(Futures.await(cas.get(d))).isEmpty();
      assertThat(file).doesNotExist();
    }
  }
}
