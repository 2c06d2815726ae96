package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.ActionCacheGrpcService;
import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.GetActionResultRequest;
import build.bazel.remote.execution.v2.OutputFile;
import build.bazel.remote.execution.v2.UpdateActionResultRequest;
import dev.kiln.ac.ActionCache;
import dev.kiln.ac.ActionKey;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import dev.kiln.scheduler.Blocking;
import dev.kiln.scheduler.exec.DigestFunctions;
import dev.kiln.scheduler.records.ActionJournal;
import dev.kiln.scheduler.records.Requester;
import dev.kiln.scheduler.records.Requesters;
import io.vertx.core.Future;

/** GetActionResult (NOT_FOUND on a miss) and UpdateActionResult over the action cache. */
public final class ActionCacheEndpoint {
  private final ActionCache cache;
  private final Requesters requesters;
  private final ActionJournal journal;

  /** An endpoint that reports each hit (an action served from the cache) to {@code journal}. */
  public ActionCacheEndpoint(ActionCache cache, Requesters requesters, ActionJournal journal) {
    this.cache = cache;
    this.requesters = requesters;
    this.journal = journal;
  }

  public void bind(GrpcBindings grpc) {
    grpc.server().callHandler(ActionCacheGrpcService.GetActionResult, call -> {
      Requester who = requesters.reapi(call.headers(), call.connection());
      grpc.messages(call, ActionCacheGrpcService.GetActionResult, req -> Blocking.attempt(() -> get(req, who)).onComplete(ar -> {
        if (ar.succeeded()) {
          call.response().end(ar.result());
        } else {
          GrpcBindings.fail(call.response(), ar.cause());
        }
      }));
    });
    grpc.unary(ActionCacheGrpcService.UpdateActionResult, this::update);
  }

  private Future<ActionResult> get(GetActionResultRequest req, Requester who) {
    DigestFunctions.check(req.getDigestFunction());
    Digest digest = Digest.fromProto(req.getActionDigest());
    ActionKey key = new ActionKey(InstanceNames.normalize(req.getInstanceName()), digest);
    return Blocking.onContext(cache.get(key)).map(hit -> {
      journal.served(who, digest, hit.orElseThrow(() -> FarmException.notFound("no cached result for action %s", key.actionHash())));
      return hit.get();
    });
  }

  private Future<ActionResult> update(UpdateActionResultRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    ActionKey key = new ActionKey(InstanceNames.normalize(req.getInstanceName()), Digest.fromProto(req.getActionDigest()));
    ActionResult result = req.getActionResult();
    for (OutputFile f : result.getOutputFilesList()) {
      Digest.fromProto(f.getDigest());
    }
    return Blocking.onContext(cache.put(key, result)).map(v -> result);
  }
}
