package dev.kiln.scheduler.records;

import build.bazel.remote.execution.v2.ActionResult;
import build.bazel.remote.execution.v2.ExecutionStage;
import dev.kiln.common.Digest;
import dev.kiln.proto.events.OperationEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The front node's journal: endpoints report cache answers and admissions, the results feed (every
 * operation event of the farm, on the feed's thread) reports progress and completion. A completed
 * operation becomes an {@link ActionRecord} carrying the requester its admission named (unknown for
 * operations admitted by another front node); a completion seen twice is recorded once. The
 * operations in flight are bounded like the records: by count, and by age ({@code maxInFlightAge},
 * past which an operation whose end this node missed is forgotten).
 */
public final class FarmJournal implements ActionJournal, Consumer<OperationEvent> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FarmJournal.class);
  private final ActionRecords records;
  private final Clock clock;
  private final Duration maxInFlightAge;
  private final int maxEntries;
  private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
  private final Map<String, Boolean> finished = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > maxEntries;
    }
  };

  public FarmJournal(ActionRecords records, Clock clock, Duration maxInFlightAge) {
    this.records = records;
    this.clock = clock;
    this.maxInFlightAge = maxInFlightAge;
    this.maxEntries = records.limits().maxRecords();
  }

  public ActionRecords records() {
    return records;
  }

  @Override
  public void served(Requester who, Digest action, ActionResult result) {
    records.add(ActionRecord.served(who, action, result, clock.instant()));
  }

  @Override
  public synchronized void admitted(Requester who, String operationName, Digest action) {
    if (!finished.containsKey(operationName)) {
      inFlight.putIfAbsent(operationName, new InFlight(operationName, action.toString(), who, clock.instant(), "QUEUED", ""));
      trim();
    }
  }

  @Override
  public void accept(OperationEvent event) {
    try {
      record(event);
    } catch (RuntimeException e) {
      LOG.warn("action records: cannot record event of {}: {}", event.getOperationName(), e.toString());
    }
  }

  private void record(OperationEvent event) {
    String name = event.getOperationName();
    ActionRecord done = null;
    synchronized (this) {
      if (finished.containsKey(name)) {
        return;
      }
      if (event.getStage() == ExecutionStage.Value.COMPLETED) {
        InFlight was = inFlight.remove(name);
        finished.put(name, Boolean.TRUE);
        done = ActionRecord.finished(was == null ? Requester.unknown("") : was.who(), name, Digest.fromProto(event.getActionDigest()),
            event.getWorker(), event.getResponse(), clock.instant());
      } else {
        InFlight was = inFlight.get(name);
        inFlight.put(name, was != null ? was.at(event.getStage().name(), event.getWorker())
            : new InFlight(name, Digest.fromProto(event.getActionDigest()).toString(), Requester.unknown(""), clock.instant(),
                event.getStage().name(), Requester.bounded(event.getWorker())));
        trim();
      }
    }
    if (done != null) {
      records.add(done);
    }
  }

  /** Operations in flight, oldest first. */
  public synchronized List<InFlight> inFlight() {
    trim();
    return new ArrayList<>(inFlight.values());
  }

  private void trim() {
    Instant oldest = clock.instant().minus(maxInFlightAge);
    // Oldest first (insertion order): stop at the first one that may stay.
    for (Iterator<InFlight> it = inFlight.values().iterator(); it.hasNext(); ) {
      InFlight f = it.next();
      if (inFlight.size() <= maxEntries && !f.since().isBefore(oldest)) {
        return;
      }
      it.remove();
    }
  }
}
