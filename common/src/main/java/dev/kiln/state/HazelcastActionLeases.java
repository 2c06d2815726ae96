package dev.kiln.state;

import com.google.protobuf.InvalidProtocolBufferException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import dev.kiln.brokerconfig.HazelcastShape;
import dev.kiln.common.FarmException;
import dev.kiln.proto.events.QueuedAction;
import dev.kiln.proto.events.RunningAction;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;

/**
 * Leases in the Hazelcast map kiln-leases. Ending and moving a lease are entry processors (atomic
 * on the partition owner); finding orphans is a predicate evaluated on the members, so only the
 * orphans travel.
 */
public final class HazelcastActionLeases implements ActionLeases {
  private final IMap<String, byte[]> leases;

  public HazelcastActionLeases(HazelcastInstance hz) {
    this.leases = hz.getMap(HazelcastShape.LEASES_MAP);
  }

  @Override
  public CompletionStage<Void> take(QueuedAction action, String workerId, Instant now) {
    return leases.setAsync(action.getOperationName(), LeaseRules.lease(action, workerId, now).toByteArray());
  }

  @Override
  public CompletionStage<Void> finish(String operationName, String workerId) {
    return leases.submitToKey(operationName, new Move(workerId, null, null)).thenApply(x -> null);
  }

  @Override
  public CompletionStage<List<RunningAction>> orphans(Set<String> liveWorkers, Instant takenBefore) {
    Predicate<String, byte[]> orphaned = new Orphaned(new HashSet<>(liveWorkers), takenBefore.toEpochMilli());
    // values(predicate) has no async form; run it off the caller's thread (callers may be event loops).
    return CompletableFuture.supplyAsync(() -> leases.values(orphaned).stream().map(HazelcastActionLeases::parse).toList(), ForkJoinPool.commonPool());
  }

  @Override
  public CompletionStage<Boolean> reassign(String operationName, String from, String to, Instant now) {
    return leases.submitToKey(operationName, new Move(from, to, now));
  }

  static RunningAction parse(byte[] bytes) {
    try {
      return RunningAction.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw FarmException.internal("corrupt action lease: %s", e.getMessage());
    }
  }

  /**
   * If {@code from} holds the lease: ends it ({@code to} null) or gives it, with its action, to
   * {@code to} as of {@code at}. Returns whether it did.
   */
  static final class Move implements EntryProcessor<String, byte[], Boolean> {
    private static final long serialVersionUID = 1L;
    private final String from;
    private final String to;
    private final Instant at;

    Move(String from, String to, Instant at) {
      this.from = from;
      this.to = to;
      this.at = at;
    }

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
      if (entry.getValue() == null) {
        return false;
      }
      RunningAction current = parse(entry.getValue());
      if (!current.getWorkerId().equals(from)) {
        return false;
      }
      entry.setValue(to == null ? null : LeaseRules.lease(current.getAction(), to, at).toByteArray());
      return true;
    }
  }

  /** Evaluated on the members: leases older than a time whose holder is not live. */
  static final class Orphaned implements Predicate<String, byte[]> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> live;
    private final long takenBeforeMillis;

    Orphaned(HashSet<String> live, long takenBeforeMillis) {
      this.live = live;
      this.takenBeforeMillis = takenBeforeMillis;
    }

    @Override
    public boolean apply(Map.Entry<String, byte[]> entry) {
      return LeaseRules.orphaned(parse(entry.getValue()), live, Instant.ofEpochMilli(takenBeforeMillis));
    }
  }
}
