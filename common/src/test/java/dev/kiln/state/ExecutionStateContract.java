package dev.kiln.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Futures;
import dev.kiln.proto.events.OperationRecord;
import dev.kiln.proto.events.WorkerHeartbeat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every execution-state store must do, through its three narrow views. */
public abstract class ExecutionStateContract {
  protected abstract ExecutionStateReader reader();

  protected abstract ExecutionStateWriter writer();

  protected abstract ExecutionDeduplicator deduplicator();

  protected abstract WorkerRegistry registry();

  @Test
  void operationsAreStoredAndRead() {
    String name = "operations/" + UUID.randomUUID();
    assertThat(Futures.await(reader().get(name))).isEmpty();
    OperationRecord r = OperationRecord.newBuilder().setName(name).setDone(true).build();
    Futures.await(writer().put(r));
    assertThat(Futures.await(reader().get(name))).contains(r);
  }

  @Test
  void firstClaimWinsAndLaterClaimantsLearnTheOwner() {
    String key = "main\0" + UUID.randomUUID();
    assertThat(Futures.await(deduplicator().claim(key, "op-1"))).isEmpty();
    assertThat(Futures.await(deduplicator().claim(key, "op-2"))).contains("op-1");
    Futures.await(deduplicator().release(key, "op-2"));
    assertThat(Futures.await(deduplicator().claim(key, "op-3"))).contains("op-1");
    Futures.await(deduplicator().release(key, "op-1"));
    assertThat(Futures.await(deduplicator().claim(key, "op-3"))).isEmpty();
  }

  @Test
  void heartbeatsListLiveWorkers() {
    String id = "worker-" + UUID.randomUUID();
    Futures.await(registry().heartbeat(WorkerHeartbeat.newBuilder().setWorkerId(id).setSlots(2).build()));
    assertThat(Futures.await(registry().live())).anyMatch(h -> h.getWorkerId().equals(id));
    Futures.await(registry().remove(id));
    assertThat(Futures.await(registry().live())).noneMatch(h -> h.getWorkerId().equals(id));
  }
}
