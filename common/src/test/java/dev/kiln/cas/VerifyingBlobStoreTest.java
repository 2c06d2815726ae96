package dev.kiln.cas;

import static dev.kiln.testing.Blobs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyingBlobStoreTest extends BlobStoreContract {
  private final InMemoryBlobStore inner = new InMemoryBlobStore();
  private final VerifyingBlobStore store = new VerifyingBlobStore(inner, 8 << 20);

  @Override
  protected BlobStore store() {
    return store;
  }

  @Test
  void bytesThatDoNotMatchTheirDigestAreRefusedAndNotStored() {
    Digest claimed = Digest.of(utf8("what the client said"));
    byte[] actual = utf8("what the client sent");
    assertThatThrownBy(() -> Futures.await(store.put(claimed, actual)))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(inner.size()).isZero();
  }

  @Test
  void wrongSizeIsRefused() {
    byte[] data = utf8("abc");
    Digest wrongSize = new Digest(Digest.of(data).hash(), 4);
    assertThatThrownBy(() -> Futures.await(store.put(wrongSize, data))).isInstanceOf(FarmException.class);
    assertThat(inner.size()).isZero();
  }

  @Test
  void oversizeBlobIsRefused() {
    VerifyingBlobStore small = new VerifyingBlobStore(inner, 2);
    byte[] data = utf8("abc");
    assertThatThrownBy(() -> Futures.await(small.put(Digest.of(data), data)))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.getMessage()).contains("over the CAS limit"));
  }

  @Test
  void emptyBlobIsAlwaysPresent() {
    assertThat(Futures.await(store.get(Digest.EMPTY))).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(Futures.await(store.findMissing(List.of(Digest.EMPTY)))).isEmpty();
  }
}
