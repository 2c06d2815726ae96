package dev.kiln.scheduler.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecutionStage;
import build.bazel.remote.execution.v2.FileNode;
import com.google.rpc.Code;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.queue.ActionLease;
import dev.kiln.queue.ActionSource;
import dev.kiln.queue.InMemoryQueue;
import dev.kiln.state.InMemoryExecutionState;
import dev.kiln.testing.Blobs;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Admission logic over in-memory fakes of every collaborator. */
class ExecutionCoordinatorTest {
  private final VerifyingBlobStore cas = new VerifyingBlobStore(new InMemoryBlobStore(), 1 << 20);
  private final InMemoryActionCache cache = new InMemoryActionCache();
  private final InMemoryExecutionState state = new InMemoryExecutionState();
  private final InMemoryQueue queue = new InMemoryQueue();
  private final ExecutionCoordinator coordinator = new ExecutionCoordinator(cas, cache, state, state, state, queue, Clock.systemUTC(),
      new ExecutionCoordinator.Settings("front-t", Duration.ofMinutes(1), Duration.ofMinutes(10)));

  private Digest action(boolean doNotCache, Directory root) {
    Blobs.put(cas, root);
    Digest cmd = Blobs.put(cas, Command.newBuilder().addArguments("/bin/true").build());
    return Blobs.put(cas, Action.newBuilder().setCommandDigest(cmd.toProto()).setInputRootDigest(Digest.of(root.toByteArray()).toProto())
        .setDoNotCache(doNotCache).build());
  }

  private Admission admit(Digest action) {
    return Futures.await(coordinator.admit(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(action.toProto()).build()));
  }

  @Test
  void cacheHitIsAnsweredWithoutQueueing() {
    Digest a = action(false, Directory.getDefaultInstance());
    Futures.await(cache.put(new ActionKey("main", a), ActionResult.newBuilder().setExitCode(0).build()));
    Admission adm = admit(a);
    assertThat(adm.cached()).hasValueSatisfying(r -> assertThat(r.getCachedResult()).isTrue());
    try (ActionSource s = queue.newSource()) {
      assertThat(s.next(Duration.ofMillis(50))).isEmpty();
    }
  }

  @Test
  void missIsQueuedWithARecordAndIdenticalActionsJoinIt() {
    Digest a = action(false, Directory.getDefaultInstance());
    Admission first = admit(a);
    Admission second = admit(a);
    assertThat(second.operationName()).isEqualTo(first.operationName());
    assertThat(Futures.await(state.get(first.operationName()))).hasValueSatisfying(r -> assertThat(r.getStage()).isEqualTo(ExecutionStage.Value.QUEUED));
    try (ActionSource s = queue.newSource()) {
      ActionLease lease = s.next(Duration.ofMillis(100)).orElseThrow();
      assertThat(lease.action().getOperationName()).isEqualTo(first.operationName());
      assertThat(lease.action().getOrigin()).isEqualTo("front-t");
      lease.complete();
      assertThat(s.next(Duration.ofMillis(50))).isEmpty();
    }
  }

  @Test
  void doNotCacheActionsAreNeverMerged() {
    Digest a = action(true, Directory.getDefaultInstance());
    assertThat(admit(a).operationName()).isNotEqualTo(admit(a).operationName());
  }

  @Test
  void aClaimWhoseOperationIsDoneIsTakenOver() {
    Digest a = action(false, Directory.getDefaultInstance());
    Admission first = admit(a);
    Futures.await(state.put(OperationRecord.newBuilder().setName(first.operationName()).setDone(true).build()));
    assertThat(admit(a).operationName()).isNotEqualTo(first.operationName());
  }

  @Test
  void missingInputsAndActionsAreFailedPrecondition() {
    Directory root = Directory.newBuilder().addFiles(FileNode.newBuilder().setName("x.c").setDigest(Digest.of(Blobs.utf8("gone")).toProto())).build();
    assertThatThrownBy(() -> admit(action(false, root)))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
    assertThatThrownBy(() -> admit(Digest.of(Blobs.utf8("no such action"))))
        .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void timeoutsAboveTheMaximumAreInvalidArgument() {
    Digest cmd = Blobs.put(cas, Command.newBuilder().addArguments("/bin/true").build());
    Digest a = Blobs.put(cas, Action.newBuilder().setCommandDigest(cmd.toProto()).setInputRootDigest(Digest.EMPTY.toProto())
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(3600)).build());
    assertThatThrownBy(() -> admit(a)).isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }
}
