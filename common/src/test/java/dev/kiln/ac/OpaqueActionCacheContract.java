package dev.kiln.ac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link OpaqueActionCache} must do. */
public abstract class OpaqueActionCacheContract {
  protected abstract OpaqueActionCache cache();

  @Test
  void putGetDeleteAreByInstanceAndHash() {
    ActionKey key = new ActionKey("", Digest.of(("opaque " + getClass()).getBytes(StandardCharsets.UTF_8)));
    assertThat(Futures.await(cache().get(key))).isEmpty();
    Futures.await(cache().put(key, new byte[] {'c', 'C', 'a', 'C', 0, 1}));
    assertThat(Futures.await(cache().get(key))).hasValueSatisfying(v -> assertThat(v).containsExactly('c', 'C', 'a', 'C', 0, 1));
    assertThat(Futures.await(cache().get(new ActionKey("other", key.actionHash())))).isEmpty();
    Futures.await(cache().delete(key));
    assertThat(Futures.await(cache().get(key))).isEmpty();
  }
}
