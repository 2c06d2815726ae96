package dev.kiln.client.proxy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy's log: every line goes to SLF4J and the last ones stay in memory for /logz. */
final class ProxyLog {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
  private static final int KEEP = 1000;

  private final Clock clock;
  private final Deque<String> lines = new ArrayDeque<>();

  ProxyLog(Clock clock) {
    this.clock = clock;
  }

  void info(String line) {
    LOG.info(line);
    keep("INFO " + line);
  }

  void warn(String line) {
    LOG.warn(line);
    keep("WARN " + line);
  }

  private synchronized void keep(String line) {
    lines.addLast(Instant.ofEpochMilli(clock.millis()) + " " + line);
    while (lines.size() > KEEP) {
      lines.removeFirst();
    }
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
