package dev.kiln.cas;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.testing.TestHazelcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HazelcastBlobStoreTest extends BlobStoreContract {
  private static String cluster;
  private static HazelcastInstance a;
  private static HazelcastInstance b;

  @BeforeAll
  static void start() {
    cluster = TestHazelcast.uniqueClusterName();
    a = TestHazelcast.member(cluster);
    b = TestHazelcast.join(cluster, a);
  }

  @AfterAll
  static void stop() {
    b.shutdown();
    a.shutdown();
  }

  @Override
  protected BlobStore store() {
    return new HazelcastBlobStore(a);
  }

  @Test
  void blobWrittenThroughOneMemberIsReadThroughAnother() {
    byte[] data = utf8("shared between members");
    Digest d = Digest.of(data);
    Futures.await(new HazelcastBlobStore(a).put(d, data));
    assertThat(Futures.await(new HazelcastBlobStore(b).get(d))).isPresent();
  }
}
