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
import build.bazel.remote.execution.v2.Platform;
import com.google.rpc.Code;
import dev.kiln.ac.ActionKey;
import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.WorkerHeartbeat;
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
  private final ExecutionCoordinator coordinator = new ExecutionCoordinator(cas, cache, state, state, state, queue, state, Clock.systemUTC(),
      new ExecutionCoordinator.Settings("front-t", Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMillis(300), Duration.ofMillis(50)));

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

  private static Platform.Property property(String name, String value) {
    return Platform.Property.newBuilder().setName(name).setValue(value).build();
  }

  private Digest actionFor(Platform actionPlatform, Platform commandPlatform) {
    Digest cmd = Blobs.put(cas, Command.newBuilder().addArguments("/bin/true").setPlatform(commandPlatform).build());
    return Blobs.put(cas, Action.newBuilder().setCommandDigest(cmd.toProto()).setInputRootDigest(Digest.EMPTY.toProto())
        .setPlatform(actionPlatform).build());
  }

  private void worker(String id, Platform.Property... offered) {
    Futures.await(state.heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).addAllProperties(java.util.List.of(offered)).build()));
  }

  @Test
  void aPlatformNoLiveWorkerOffersFailsWithFailedPreconditionNamingItAfterTheWait() {
    worker("w1", property("OSFamily", "Linux"), property("pool", "default"));
    Digest a = actionFor(Platform.newBuilder().addProperties(property("OSFamily", "linux")).addProperties(property("pool", "nope")).build(),
        Platform.getDefaultInstance());
    long start = System.nanoTime();
    assertThatThrownBy(() -> admit(a)).isInstanceOfSatisfying(FarmException.class, e -> {
      assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
      assertThat(e.getMessage()).contains("pool=nope").doesNotContain("OSFamily");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited for a worker first").isGreaterThanOrEqualTo(Duration.ofMillis(300));
    try (ActionSource s = queue.newSource()) {
      assertThat(s.next(Duration.ofMillis(50))).as("nothing was queued").isEmpty();
    }
  }

  @Test
  void aMatchedPlatformIsQueuedAndTravelsWithTheAction() {
    worker("w1", property("OSFamily", "Linux"), property("pool", "default"));
    worker("w2", property("OSFamily", "Linux"), property("pool", "gpu"));
    Platform wanted = Platform.newBuilder().addProperties(property("pool", "gpu")).build();
    Admission adm = admit(actionFor(Platform.getDefaultInstance(), wanted));
    try (ActionSource s = queue.newSource()) {
      ActionLease lease = s.next(Duration.ofMillis(100)).orElseThrow();
      assertThat(lease.action().getOperationName()).isEqualTo(adm.operationName());
      assertThat(lease.action().getPlatform()).as("Command.platform when the Action has none").isEqualTo(wanted);
    }
  }

  @Test
  void aWorkerThatArrivesDuringTheWaitIsUsedAndDirectivesNeedNoWorker() throws Exception {
    Digest a = actionFor(Platform.newBuilder().addProperties(property("pool", "late")).build(), Platform.getDefaultInstance());
    ExecutionCoordinator patient = new ExecutionCoordinator(cas, cache, state, state, state, queue, state, Clock.systemUTC(),
        new ExecutionCoordinator.Settings("front-t", Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMillis(20)));
    var admission = patient.admit(ExecuteRequest.newBuilder().setInstanceName("main").setActionDigest(a.toProto()).build()).toCompletableFuture();
    Thread.sleep(100);
    assertThat(admission).isNotDone();
    worker("w-late", property("pool", "late"));
    assertThat(admission.get(5, java.util.concurrent.TimeUnit.SECONDS).operationName()).startsWith("operations/");
    Digest directive = actionFor(Platform.newBuilder().addProperties(property("InputRootAbsolutePath", "/home/u/src")).build(),
        Platform.getDefaultInstance());
    assertThat(admit(directive).operationName()).startsWith("operations/");
  }
}
