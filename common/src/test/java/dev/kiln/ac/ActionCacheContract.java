package dev.kiln.ac;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link ActionCache} must do. */
public abstract class ActionCacheContract {
  protected abstract ActionCache cache();

  private static Digest action(String s) {
    return Digest.of(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void missIsEmpty() {
    assertThat(Futures.await(cache().get(new ActionKey("", action("miss " + getClass()))))).isEmpty();
  }

  @Test
  void putThenGet() {
    ActionKey key = new ActionKey("main", action("hit " + getClass()));
    ActionResult result = ActionResult.newBuilder().setExitCode(0).setStdoutRaw(com.google.protobuf.ByteString.copyFromUtf8("x")).build();
    Futures.await(cache().put(key, result));
    assertThat(Futures.await(cache().get(key))).contains(result);
  }

  @Test
  void instanceNamesAreSeparateNamespaces() {
    Digest a = action("namespaced " + getClass());
    Futures.await(cache().put(new ActionKey("one", a), ActionResult.newBuilder().setExitCode(0).build()));
    assertThat(Futures.await(cache().get(new ActionKey("two", a)))).isEmpty();
  }
}
