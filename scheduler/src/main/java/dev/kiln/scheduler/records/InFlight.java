package dev.kiln.scheduler.records;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An operation not finished yet: who asked (unknown for one admitted by another front node), since
 * when this node knows of it, its stage ({@code QUEUED}, {@code EXECUTING}) and its worker once one runs it.
 */
public record InFlight(String operation, String action, Requester who, Instant since, String stage, String worker) {
  InFlight at(String newStage, String newWorker) {
    return new InFlight(operation, action, who, since, newStage, newWorker.isEmpty() ? worker : Requester.bounded(newWorker));
  }

  public JsonObject toJson(Instant now) {
    return new JsonObject().put("operation", operation).put("action", action).put("user", who.user()).put("build", who.build())
        .put("label", who.label()).put("protocol", who.protocol()).put("stage", stage).put("worker", worker)
        .put("ageMs", Math.max(0, now.toEpochMilli() - since.toEpochMilli()));
  }
}
