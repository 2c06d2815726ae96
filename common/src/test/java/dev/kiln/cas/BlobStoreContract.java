package dev.kiln.cas;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} implementation must do. Subclasses supply the store. */
public abstract class BlobStoreContract {
  protected abstract BlobStore store();

  @Test
  void missingBlobIsEmpty() {
    Digest d = Digest.of(utf8("never stored " + getClass()));
    assertThat(Futures.await(store().get(d))).isEmpty();
  }

  @Test
  void putThenGetReturnsTheBytes() {
    byte[] data = utf8("hello kiln " + getClass());
    Digest d = Digest.of(data);
    Futures.await(store().put(d, data));
    assertThat(Futures.await(store().get(d))).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
  }

  @Test
  void findMissingReportsOnlyAbsentBlobs() {
    byte[] present = utf8("present " + getClass());
    Digest p = Digest.of(present);
    Digest absent = Digest.of(utf8("absent " + getClass()));
    Futures.await(store().put(p, present));
    assertThat(Futures.await(store().findMissing(List.of(p, absent)))).containsExactly(absent);
    assertThat(Futures.await(store().findMissing(List.of()))).isEmpty();
  }

  @Test
  void blobsCanBeReadByHashAloneAndAWrongSizeIsAMiss() {
    byte[] data = utf8("by hash " + getClass());
    Digest d = Digest.of(data);
    Futures.await(store().put(d, data));
    assertThat(Futures.await(store().getByHash(d.hash()))).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
    Digest wrongSize = new Digest(d.hash(), d.size() + 1);
    assertThat(Futures.await(store().get(wrongSize))).isEmpty();
    assertThat(Futures.await(store().findMissing(List.of(wrongSize)))).containsExactly(wrongSize);
  }

  @Test
  void largeBlobRoundTrips() {
    byte[] data = new byte[3 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + getClass().hashCode());
    }
    Digest d = Digest.of(data);
    Futures.await(store().put(d, data));
    assertThat(Futures.await(store().get(d)).orElseThrow()).isEqualTo(data);
    assertThat(Futures.await(store().findMissing(Set.of(d)))).isEmpty();
  }
}
