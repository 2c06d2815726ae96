package dev.kiln.scheduler.records;

import dev.kiln.testing.ManualClock;
import static dev.kiln.scheduler.records.Records.digest;
import static dev.kiln.scheduler.records.Records.response;
import static dev.kiln.scheduler.records.Records.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.FarmException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActionRecordsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:30Z"));
  private final ActionRecords records = new ActionRecords(clock, new ActionRecords.Limits(5, Duration.ofMinutes(10)));

  private ActionRecord executed(String user, String build, int exit) {
    return ActionRecord.finished(new Requester(user, build, "", "", "reapi"), "operations/" + user, digest(user), "w",
        response(result("w", exit)), clock.instant());
  }

  private ActionRecord hit(String user, String build) {
    return ActionRecord.served(new Requester(user, build, "", "", "goma"), digest(user), result("w", 0), clock.instant());
  }

  @Test
  void keepsTheNewestByCountAndDropsThoseOlderThanTheAge() {
    for (int i = 0; i < 8; i++) {
      records.add(executed("u" + i, "b", 0));
    }
    assertThat(records.size()).isEqualTo(5);
    assertThat(records.query(RecordQuery.all(100))).extracting(r -> r.who().user()).containsExactly("u7", "u6", "u5", "u4", "u3");
    clock.advance(Duration.ofMinutes(6));
    records.add(executed("late", "b", 0));
    clock.advance(Duration.ofMinutes(5));
    assertThat(records.query(RecordQuery.all(100))).extracting(r -> r.who().user()).containsExactly("late");
  }

  @Test
  void filtersByUserBuildOutcomeAndCacheStatusNewestFirstUpToTheLimit() {
    records.add(executed("alice", "b1", 0));
    records.add(executed("alice", "b2", 1));
    records.add(hit("bob", "b1"));
    records.add(executed("bob", "b1", 0));
    assertThat(records.query(new RecordQuery("alice", "", "", 10))).extracting(r -> r.who().build()).containsExactly("b2", "b1");
    assertThat(records.query(new RecordQuery("", "b1", "", 10))).extracting(r -> r.who().user()).containsExactly("bob", "bob", "alice");
    assertThat(records.query(new RecordQuery("", "", "failed", 10))).extracting(r -> r.who().build()).containsExactly("b2");
    assertThat(records.query(new RecordQuery("", "", "hit", 10))).extracting(ActionRecord::cache).containsExactly("hit");
    assertThat(records.query(new RecordQuery("", "", "miss", 10))).hasSize(3);
    assertThat(records.query(new RecordQuery("", "", "", 2))).hasSize(2);
  }

  @Test
  void aQueryWithABadParameterNamesWhatIsAllowed() {
    assertThat(RecordQuery.parse(MultiMap.caseInsensitiveMultiMap().add("user", "alice").add("limit", "7"), 50))
        .isEqualTo(new RecordQuery("alice", "", "", 7));
    assertThatThrownBy(() -> RecordQuery.parse(MultiMap.caseInsensitiveMultiMap().add("status", "broken"), 50))
        .isInstanceOf(FarmException.class).hasMessageContaining("ok, failed, error, hit, miss");
    assertThatThrownBy(() -> RecordQuery.parse(MultiMap.caseInsensitiveMultiMap().add("limit", "51"), 50))
        .hasMessageContaining("from 1 to 50");
    assertThatThrownBy(() -> RecordQuery.parse(MultiMap.caseInsensitiveMultiMap().add("limit", "x"), 50))
        .hasMessageContaining("from 1 to 50");
    assertThatThrownBy(() -> RecordQuery.parse(MultiMap.caseInsensitiveMultiMap().add("usr", "a"), 50))
        .hasMessageContaining("unknown parameter usr");
  }

  @Test
  void countsEachMinuteOfTheLastHourIncludingRecordsTheRingDropped() {
    for (int i = 0; i < 7; i++) {
      records.add(executed("u" + i, "b", i == 0 ? 1 : 0));
    }
    records.add(hit("h", "b"));
    clock.advance(Duration.ofMinutes(2));
    records.add(hit("h2", "b"));
    JsonArray minutes = records.minutes().toJson();
    assertThat(minutes).hasSize(60);
    JsonObject first = minutes.getJsonObject(57);
    assertThat(first.getLong("minute")).isEqualTo(Instant.parse("2026-12-04T10:00:00Z").toEpochMilli());
    assertThat(first.getLong("executed")).isEqualTo(7);
    assertThat(first.getLong("hits")).isEqualTo(1);
    assertThat(first.getLong("failed")).isEqualTo(1);
    assertThat(first.getLong("executionMs")).isEqualTo(7 * 800);
    assertThat(minutes.getJsonObject(58).getLong("hits")).isZero();
    assertThat(minutes.getJsonObject(59).getLong("hits")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(60));
    assertThat(records.minutes().toJson().stream().mapToLong(m -> ((JsonObject) m).getLong("hits"))).allMatch(n -> n == 0);
  }
}
