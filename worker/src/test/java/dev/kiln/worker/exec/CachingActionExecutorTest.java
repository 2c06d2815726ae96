package dev.kiln.worker.exec;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecuteResponse;
import com.google.rpc.Status;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.testing.Blobs;
import org.junit.jupiter.api.Test;

class CachingActionExecutorTest {
  private final InMemoryActionCache cache = new InMemoryActionCache();
  private final Digest action = Digest.of(Blobs.utf8("action"));

  private boolean cachedAfter(ExecuteResponse response, boolean doNotCache) {
    QueuedAction q = QueuedAction.newBuilder().setInstanceName("i").setActionDigest(action.toProto()).setDoNotCache(doNotCache).build();
    new CachingActionExecutor(a -> response, cache).execute(q);
    return Futures.await(cache.get(new ActionKey("i", action))).isPresent();
  }

  @Test
  void onlySuccessfulCacheableResultsAreCached() {
    ExecuteResponse ok = ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(0)).build();
    assertThat(cachedAfter(ExecuteResponse.newBuilder().setResult(ActionResult.newBuilder().setExitCode(1)).build(), false)).isFalse();
    assertThat(cachedAfter(ok.toBuilder().setStatus(Status.newBuilder().setCode(4)).build(), false)).isFalse();
    assertThat(cachedAfter(ok, true)).isFalse();
    assertThat(cachedAfter(ok, false)).isTrue();
  }
}
