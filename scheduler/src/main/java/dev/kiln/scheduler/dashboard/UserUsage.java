package dev.kiln.scheduler.dashboard;

import dev.kiln.scheduler.records.ActionRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Per-user totals over the kept action records: actions, cache hits, failures, execution time; busiest first. */
final class UserUsage {
  private UserUsage() {}

  private static final class Totals {
    long actions;
    long hits;
    long failed;
    long executionMs;
    String lastBuild = "";
  }

  static JsonArray of(List<ActionRecord> newestFirst, int maxUsers) {
    Map<String, Totals> byUser = new HashMap<>();
    for (ActionRecord r : newestFirst) {
      Totals t = byUser.computeIfAbsent(r.who().user().isEmpty() ? "(unknown)" : r.who().user(), u -> new Totals());
      t.actions++;
      t.hits += r.cache().equals("hit") ? 1 : 0;
      t.failed += r.status().equals("ok") ? 0 : 1;
      t.executionMs += Math.max(0, r.phases().executionMs());
      if (t.lastBuild.isEmpty()) {
        t.lastBuild = r.who().build();
      }
    }
    JsonArray out = new JsonArray();
    byUser.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, Totals> e) -> -e.getValue().actions)
            .thenComparing(Map.Entry::getKey)).limit(maxUsers)
        .forEach(e -> out.add(new JsonObject().put("user", e.getKey()).put("actions", e.getValue().actions).put("hits", e.getValue().hits)
            .put("failed", e.getValue().failed).put("executionMs", e.getValue().executionMs).put("lastBuild", e.getValue().lastBuild)));
    return out;
  }
}
