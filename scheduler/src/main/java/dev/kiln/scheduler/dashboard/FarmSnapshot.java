package dev.kiln.scheduler.dashboard;

import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.scheduler.records.ActionRecord;
import dev.kiln.scheduler.records.FarmJournal;
import dev.kiln.scheduler.records.InFlight;
import dev.kiln.scheduler.records.RecordQuery;
import dev.kiln.state.WorkerRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * What the dashboard shows, as one JSON object: the live workers (slots, busy, compilers, what
 * each runs), the operations in flight, the latest finished actions, per-minute counts over the
 * last hour, and per-user usage over the kept records. A worker registry that does not answer
 * within {@code registryTimeout} leaves the workers list empty and says so ({@code workersError}).
 */
public final class FarmSnapshot {
  static final int RECENT = 50;
  static final int USERS = 20;

  private final String node;
  private final WorkerRegistry registry;
  private final FarmJournal journal;
  private final Clock clock;
  private final Duration registryTimeout;

  public FarmSnapshot(String node, WorkerRegistry registry, FarmJournal journal, Clock clock, Duration registryTimeout) {
    this.node = node;
    this.registry = registry;
    this.journal = journal;
    this.clock = clock;
    this.registryTimeout = registryTimeout;
  }

  public CompletionStage<JsonObject> build() {
    CompletableFuture<List<WorkerHeartbeat>> live;
    try {
      live = registry.live().toCompletableFuture().orTimeout(registryTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      live = CompletableFuture.failedFuture(e);
    }
    return live.handle((workers, error) -> compose(workers == null ? List.of() : workers, error));
  }

  private JsonObject compose(List<WorkerHeartbeat> workers, Throwable error) {
    Instant now = clock.instant();
    List<InFlight> inFlight = journal.inFlight();
    List<ActionRecord> kept = journal.records().query(RecordQuery.all(journal.records().limits().maxRecords()));
    JsonArray flying = new JsonArray();
    inFlight.forEach(f -> flying.add(f.toJson(now)));
    JsonArray recent = new JsonArray();
    kept.stream().limit(RECENT).forEach(r -> recent.add(r.toJson()));
    JsonObject out = new JsonObject().put("node", node).put("time", now.toString()).put("timeMs", now.toEpochMilli())
        .put("workers", workers(workers, inFlight, now)).put("inFlight", flying).put("recent", recent)
        .put("minutes", journal.records().minutes().toJson()).put("users", UserUsage.of(kept, USERS)).put("kept", kept.size());
    if (error != null) {
      out.put("workersError", "cannot read the worker registry: " + error);
    }
    return out;
  }

  private static JsonArray workers(List<WorkerHeartbeat> workers, List<InFlight> inFlight, Instant now) {
    JsonArray out = new JsonArray();
    workers.stream().sorted(java.util.Comparator.comparing(WorkerHeartbeat::getWorkerId)).forEach(w -> {
      JsonArray running = new JsonArray();
      inFlight.stream().filter(f -> f.worker().equals(w.getWorkerId()) && f.stage().equals("EXECUTING")).forEach(f -> running.add(f.toJson(now)));
      JsonArray compilers = new JsonArray();
      w.getToolchainsList().stream().map(Toolchain::getName).distinct().forEach(compilers::add);
      JsonObject props = new JsonObject();
      w.getPropertiesList().forEach(p -> props.put(p.getName(), p.getValue()));
      long seen = w.getTime().getSeconds() * 1000 + w.getTime().getNanos() / 1_000_000;
      out.add(new JsonObject().put("id", w.getWorkerId()).put("host", w.getHost()).put("slots", w.getSlots()).put("busy", w.getBusy())
          .put("compilers", compilers).put("pool", props.getString("pool", "")).put("heartbeatAgeMs", Math.max(0, now.toEpochMilli() - seen))
          .put("running", running));
    });
    return out;
  }
}
