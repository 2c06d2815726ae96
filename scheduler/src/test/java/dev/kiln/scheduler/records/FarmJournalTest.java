package dev.kiln.scheduler.records;

import dev.kiln.testing.ManualClock;
import static dev.kiln.scheduler.records.Records.completed;
import static dev.kiln.scheduler.records.Records.digest;
import static dev.kiln.scheduler.records.Records.event;
import static dev.kiln.scheduler.records.Records.response;
import static dev.kiln.scheduler.records.Records.result;
import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.ExecuteResponse;
import build.bazel.remote.execution.v2.ExecutionStage;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.kiln.common.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FarmJournalTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final ActionRecords records = new ActionRecords(clock, new ActionRecords.Limits(100, Duration.ofHours(1)));
  private final FarmJournal journal = new FarmJournal(records, clock, Duration.ofMinutes(70));
  private final Requester alice = new Requester("alice", "build-1", "bazel 7.4.0", "CppCompile //a:b", "reapi");
  private final Digest action = digest("action");

  @Test
  void anAdmittedOperationIsInFlightThenRecordedWithItsRequesterWorkerAndPhases() {
    journal.admitted(alice, "operations/1", action);
    assertThat(journal.inFlight()).singleElement().satisfies(f -> {
      assertThat(f.stage()).isEqualTo("QUEUED");
      assertThat(f.who()).isEqualTo(alice);
    });
    journal.accept(event("operations/1", action, ExecutionStage.Value.EXECUTING, "worker-3"));
    assertThat(journal.inFlight()).singleElement().satisfies(f -> assertThat(f.worker()).isEqualTo("worker-3"));

    journal.accept(completed("operations/1", action, "worker-3", response(result("worker-3", 0))));
    assertThat(journal.inFlight()).isEmpty();
    ActionRecord r = records.query(RecordQuery.all(10)).get(0);
    assertThat(r.who()).isEqualTo(alice);
    assertThat(r.operation()).isEqualTo("operations/1");
    assertThat(r.action()).isEqualTo(action.toString());
    assertThat(r.worker()).isEqualTo("worker-3");
    assertThat(r.cache()).isEqualTo("miss");
    assertThat(r.status()).isEqualTo("ok");
    assertThat(r.phases()).isEqualTo(new Phases(100, 50, 800, 50, 1000));
    assertThat(r.outputs()).isEqualTo(1);
    assertThat(r.outputBytes()).isEqualTo(1024);
  }

  @Test
  void aNonZeroExitIsFailedAndAFarmErrorCarriesItsStatus() {
    journal.accept(completed("operations/2", action, "w", response(result("w", 2))));
    ExecuteResponse timedOut = ExecuteResponse.newBuilder().setResult(result("w", 0))
        .setStatus(Status.newBuilder().setCode(Code.DEADLINE_EXCEEDED_VALUE).setMessage("action timed out after 5 s")).build();
    journal.accept(completed("operations/3", action, "w", timedOut));
    List<ActionRecord> kept = records.query(RecordQuery.all(10));
    assertThat(kept.get(1).status()).isEqualTo("failed");
    assertThat(kept.get(1).reason()).isEqualTo("exit code 2");
    assertThat(kept.get(0).status()).isEqualTo("error");
    assertThat(kept.get(0).code()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(kept.get(0).reason()).isEqualTo("action timed out after 5 s");
  }

  @Test
  void aCompletionSeenTwiceIsRecordedOnceAndAnOperationOfAnotherNodeHasNoRequester() {
    ExecuteResponse ok = response(result("w", 0));
    journal.accept(completed("operations/4", action, "w", ok));
    journal.accept(completed("operations/4", action, "w", ok));
    journal.admitted(alice, "operations/4", action);
    assertThat(records.size()).isEqualTo(1);
    assertThat(journal.inFlight()).isEmpty();
    assertThat(records.query(RecordQuery.all(10)).get(0).who().user()).isEmpty();
  }

  @Test
  void aCacheAnswerIsAHitWithoutWorkerOrPhases() {
    journal.served(alice, action, result("worker-1", 0));
    ActionRecord r = records.query(RecordQuery.all(10)).get(0);
    assertThat(r.cache()).isEqualTo("hit");
    assertThat(r.status()).isEqualTo("ok");
    assertThat(r.worker()).isEmpty();
    assertThat(r.phases()).isEqualTo(Phases.NONE);
    assertThat(r.toJson().getString("user")).isEqualTo("alice");
    assertThat(r.toJson().getString("build")).isEqualTo("build-1");
  }

  @Test
  void operationsInFlightAreBoundedByAgeAndCount() {
    journal.admitted(alice, "operations/old", action);
    clock.advance(Duration.ofMinutes(71));
    assertThat(journal.inFlight()).isEmpty();
    for (int i = 0; i < 150; i++) {
      journal.accept(event("operations/n" + i, action, ExecutionStage.Value.EXECUTING, "w"));
    }
    assertThat(journal.inFlight()).hasSize(100);
    assertThat(journal.inFlight().get(0).operation()).isEqualTo("operations/n50");
  }
}
