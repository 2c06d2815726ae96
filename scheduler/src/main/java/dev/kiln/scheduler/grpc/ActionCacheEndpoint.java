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
import io.vertx.core.Future;

/** GetActionResult (NOT_FOUND on a miss) and UpdateActionResult over the action cache. */
public final class ActionCacheEndpoint {
  private final ActionCache cache;

  public ActionCacheEndpoint(ActionCache cache) {
    this.cache = cache;
  }

  public void bind(GrpcBindings grpc) {
    grpc.unary(ActionCacheGrpcService.GetActionResult, this::get);
    grpc.unary(ActionCacheGrpcService.UpdateActionResult, this::update);
  }

  private Future<ActionResult> get(GetActionResultRequest req) {
    DigestFunctions.check(req.getDigestFunction());
    ActionKey key = new ActionKey(InstanceNames.normalize(req.getInstanceName()), Digest.fromProto(req.getActionDigest()));
    return Blocking.onContext(cache.get(key)).map(hit -> hit.orElseThrow(() -> FarmException.notFound("no cached result for action %s", key.actionHash())));
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
