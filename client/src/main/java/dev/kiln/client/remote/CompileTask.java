package dev.kiln.client.remote;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One compile as the dashboard shows it: the command, how long each phase took (flag parse,
 * compiler info, include scan, upload, remote wait, output write), its inputs, and how it ended.
 * Thread-safe: the proxy reads it while the compile runs.
 */
public final class CompileTask {
  private final long id;
  private final String command;
  private final Clock clock;
  private final long started;
  private long lastMark;
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private List<String> inputs = List.of();
  private String outcome = "running";
  private String reason = "";
  private long millis = -1;

  public CompileTask(long id, String command, Clock clock) {
    this.id = id;
    this.command = command;
    this.clock = clock;
    this.started = clock.millis();
    this.lastMark = started;
  }

  /** The phase that just ended: the time since the previous mark is charged to it. */
  public synchronized void phase(String name) {
    long now = clock.millis();
    phases.merge(name, now - lastMark, Long::sum);
    lastMark = now;
    notifyAll();
  }

  /** Waits up to {@code timeoutMillis} for phase {@code name} to end; true if it has. */
  public synchronized boolean awaitPhase(String name, long timeoutMillis) throws InterruptedException {
    if (!phases.containsKey(name)) {
      wait(timeoutMillis);
    }
    return phases.containsKey(name);
  }

  public synchronized void inputs(Collection<Path> files) {
    inputs = files.stream().map(Path::toString).toList();
  }

  public synchronized void finish(String outcome, String reason) {
    this.outcome = outcome;
    this.reason = reason;
    this.millis = clock.millis() - started;
  }

  public long id() {
    return id;
  }

  public String command() {
    return command;
  }

  public synchronized Map<String, Long> phases() {
    return new LinkedHashMap<>(phases);
  }

  public synchronized List<String> inputs() {
    return inputs;
  }

  public synchronized String outcome() {
    return outcome;
  }

  public synchronized String reason() {
    return reason;
  }

  /** Total time once finished; until then the time so far. */
  public synchronized long millis() {
    return millis >= 0 ? millis : clock.millis() - started;
  }
}
