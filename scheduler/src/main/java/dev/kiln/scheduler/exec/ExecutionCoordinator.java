package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.ExecuteRequest;
import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionStage;
import build.bazel.remote.execution.v2.Platform;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.action.ActionInputs;
import dev.kiln.action.PlatformRequirements;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.queue.ActionQueue;
import dev.kiln.scheduler.exec.fair.FairAdmission;
import dev.kiln.scheduler.exec.fair.FairAdmission.Scheduled;
import dev.kiln.scheduler.exec.fair.Tenant;
import dev.kiln.state.ExecutionDeduplicator;
import dev.kiln.state.ExecutionStateReader;
import dev.kiln.state.ExecutionStateWriter;
import dev.kiln.state.WorkerRegistry;
import dev.kiln.tree.TreeFetcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Admits an Execute request, protocol-neutral: answer from the action cache; otherwise validate
 * the action at the edge (Action, Command, every input present, canonical paths), then either
 * join an identical action already in flight anywhere in the cluster or queue it as a new
 * operation. An action whose platform no live worker offers waits for one (bounded) and then fails
 * with FAILED_PRECONDITION instead of sitting in the queue ({@link PlatformGate}); the platform
 * travels with the queued action so the worker can check it too. A validated action then waits for
 * its fair share ({@link FairAdmission}) before it becomes an operation. Runs no I/O of its own
 * beyond the core interfaces.
 */
public final class ExecutionCoordinator {
  /**
   * Settings the coordinator needs. {@code platformWait}: how long an action whose platform no
   * live worker offers waits for one before FAILED_PRECONDITION (default 30 s), re-checking every
   * {@code platformRecheck} (default 1 s).
   */
  public record Settings(String nodeId, Duration defaultTimeout, Duration maxTimeout, Duration platformWait, Duration platformRecheck) {
    public Settings(String nodeId, Duration defaultTimeout, Duration maxTimeout) {
      this(nodeId, defaultTimeout, maxTimeout, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }
  }

  private final BlobStore cas;
  private final ActionCache actionCache;
  private final ExecutionDeduplicator dedup;
  private final ExecutionStateReader reader;
  private final ExecutionStateWriter writer;
  private final ActionQueue queue;
  private final Clock clock;
  private final Settings settings;
  private final PlatformGate platforms;
  private final FairAdmission fair;

  /** A coordinator with a fair-share gate of its own and no cap (tests, benchmarks). */
  public ExecutionCoordinator(BlobStore cas, ActionCache actionCache, ExecutionDeduplicator dedup, ExecutionStateReader reader,
      ExecutionStateWriter writer, ActionQueue queue, WorkerRegistry workers, Clock clock, Settings settings) {
    this(cas, actionCache, dedup, reader, writer, queue, workers, clock, settings, new FairAdmission(0, reader, clock));
  }

  /** A coordinator admitting through {@code fair}, which the node's other coordinators share. */
  public ExecutionCoordinator(BlobStore cas, ActionCache actionCache, ExecutionDeduplicator dedup, ExecutionStateReader reader,
      ExecutionStateWriter writer, ActionQueue queue, WorkerRegistry workers, Clock clock, Settings settings, FairAdmission fair) {
    this.fair = fair;
    this.cas = cas;
    this.actionCache = actionCache;
    this.dedup = dedup;
    this.reader = reader;
    this.writer = writer;
    this.queue = queue;
    this.clock = clock;
    this.settings = settings;
    this.platforms = new PlatformGate(workers, clock, settings.platformWait(), settings.platformRecheck(), Duration.ofSeconds(1));
  }

  /** Admits {@code request} as nobody in particular. */
  public CompletionStage<Admission> admit(ExecuteRequest request) {
    return admit(request, Tenant.ANONYMOUS);
  }

  /** Admits {@code request}, counted against {@code tenant}'s fair share. */
  public CompletionStage<Admission> admit(ExecuteRequest request, Tenant tenant) {
    return Futures.attempt(() -> {
      DigestFunctions.check(request.getDigestFunction());
      Digest digest = Digest.fromProto(request.getActionDigest());
      String instance = request.getInstanceName();
      if (instance.indexOf('\0') >= 0) {
        throw FarmException.invalidArgument("instance name contains NUL");
      }
      ActionKey key = new ActionKey(instance, digest);
      CompletionStage<Optional<ActionResult>> cached = request.getSkipCacheLookup()
          ? CompletableFuture.completedFuture(Optional.empty()) : actionCache.get(key);
      return cached.thenCompose(hit -> {
        if (hit.isPresent() && hit.get().getExitCode() == 0) {
          ExecuteResponse response = ExecuteResponse.newBuilder().setResult(hit.get()).setCachedResult(true).build();
          return CompletableFuture.completedFuture(new Admission(newName(), digest, Optional.of(response)));
        }
        return validate(digest).thenCompose(v -> platforms.await(v.platform()).thenCompose(ok -> fair.submit(tenant,
            request.getExecutionPolicy().getPriority(), name -> schedule(key, digest, v, request, name, tenant))));
      });
    });
  }

  /** A validated action and the platform it asks for (Action.platform, else Command.platform). */
  private record Validated(Action action, Platform platform) {}

  /** Everything a worker needs is present and well-formed, or the caller learns exactly what is not. */
  private CompletionStage<Validated> validate(Digest digest) {
    return cas.getRequired(digest).thenCompose(actionBytes -> {
      Action action = parse(() -> Action.parseFrom(actionBytes), "Action", digest);
      Digest commandDigest = Digest.fromProto(action.getCommandDigest());
      Digest root = Digest.fromProto(action.getInputRootDigest());
      return cas.getRequired(commandDigest).thenCompose(commandBytes -> {
        Command command = parse(() -> Command.parseFrom(commandBytes), "Command", commandDigest);
        ActionInputs.check(action, command, settings.defaultTimeout(), settings.maxTimeout());
        Validated validated = new Validated(action, PlatformRequirements.of(action, command));
        return new TreeFetcher(cas).fetch(root).thenCompose(tree -> cas.findMissing(tree.files())).thenApply(missing -> {
          if (!missing.isEmpty()) {
            throw FarmException.missingBlobs(missing);
          }
          return validated;
        });
      });
    });
  }

  private CompletionStage<Scheduled> schedule(ActionKey key, Digest digest, Validated validated, ExecuteRequest request, String name,
      Tenant tenant) {
    Action action = validated.action();
    QueuedAction queued = QueuedAction.newBuilder().setOperationName(name).setInstanceName(key.instance()).setUser(tenant.user())
        .setBuild(tenant.build())
        .setActionDigest(digest.toProto()).setSkipCacheLookup(request.getSkipCacheLookup())
        .setDoNotCache(action.getDoNotCache()).setPriority(request.getExecutionPolicy().getPriority())
        .setQueuedTime(now()).setOrigin(settings.nodeId()).setPlatform(validated.platform()).build();
    OperationRecord record = OperationRecord.newBuilder().setName(name).setInstanceName(key.instance())
        .setActionDigest(queued.getActionDigest()).setStage(ExecutionStage.Value.QUEUED).setUpdated(queued.getQueuedTime()).build();
    // The record exists before the claim, so a claimant that loses always finds the owner's record.
    return writer.put(record).thenCompose(v -> action.getDoNotCache() ? enqueue(queued, record, null) : claimOrJoin(key, queued, record));
  }

  private CompletionStage<Scheduled> claimOrJoin(ActionKey key, QueuedAction queued, OperationRecord record) {
    return dedup.claim(key.key(), queued.getOperationName()).thenCompose(owner -> {
      if (owner.isEmpty()) {
        return enqueue(queued, record, key);
      }
      return reader.get(owner.get()).thenCompose(ownerRecord -> {
        if (ownerRecord.isPresent() && !ownerRecord.get().getDone()) {
          return CompletableFuture.completedFuture(
              new Scheduled(new Admission(owner.get(), Digest.fromProto(queued.getActionDigest()), Optional.empty()), false));
        }
        // The claim outlived its operation (expired record, or a worker that died between
        // finishing and releasing): take it over.
        return dedup.release(key.key(), owner.get()).thenCompose(v -> claimOrJoin(key, queued, record));
      });
    });
  }

  private CompletionStage<Scheduled> enqueue(QueuedAction queued, OperationRecord record, ActionKey claimed) {
    Admission admission = new Admission(queued.getOperationName(), Digest.fromProto(queued.getActionDigest()), Optional.empty());
    return queue.enqueue(queued).thenApply(v -> new Scheduled(admission, true))
        .exceptionallyCompose(e -> {
          FarmException fe = FarmException.wrap(e, "Failed to queue action %s", queued.getActionDigest().getHash());
          CompletionStage<Void> undo = claimed == null ? CompletableFuture.completedFuture(null)
              : dedup.release(claimed.key(), queued.getOperationName());
          return undo.thenCompose(v -> writer.put(record.toBuilder().setDone(true).setStage(ExecutionStage.Value.COMPLETED)
                  .setResponse(ExecuteResponse.newBuilder().setStatus(fe.toStatus())).build()))
              .thenCompose(v -> Futures.<Scheduled>failed(fe));
        });
  }

  private String newName() {
    return "operations/" + UUID.randomUUID();
  }

  private Timestamp now() {
    var i = clock.instant();
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser, String what, Digest digest) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.invalidArgument("blob %s is not a valid %s message: %s", digest, what, e.getMessage());
    }
  }
}
