package dev.kiln.scheduler.grpc;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Partial ByteStream uploads by resource name, so that a client whose Write was cut off can ask
 * QueryWriteStatus and resume from the committed size with the same name (Bazel does). Entries
 * are dropped once complete or after {@code retention} without progress. Their bytes are held in
 * memory, so all of them together stay within {@code budgetBytes}: a write that would pass it is
 * refused with RESOURCE_EXHAUSTED (the client retries later) instead of running the node out of heap.
 */
final class UploadTracker {
  private final Map<String, Partial> partials = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;
  private final long budgetBytes;
  private final AtomicLong held = new AtomicLong();

  static final class Partial {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile Instant touched;
    private boolean released;

    Partial(Instant now) {
      touched = now;
    }

    synchronized long size() {
      return bytes.size();
    }
  }

  UploadTracker(Clock clock, Duration retention, long budgetBytes) {
    this.clock = clock;
    this.retention = retention;
    this.budgetBytes = budgetBytes;
  }

  /** The partial upload under {@code name}, creating an empty one when {@code offset} is 0. */
  Optional<Partial> resume(String name, long offset) {
    expire();
    if (offset == 0) {
      Partial p = new Partial(clock.instant());
      release(partials.put(name, p));
      return Optional.of(p);
    }
    Partial p = partials.get(name);
    if (p == null || p.size() != offset) {
      return Optional.empty();
    }
    p.touched = clock.instant();
    return Optional.of(p);
  }

  /** Appends {@code data} to {@code p} if the budget allows it. */
  void append(Partial p, ByteString data) {
    long n = data.size();
    if (held.addAndGet(n) > budgetBytes) {
      held.addAndGet(-n);
      throw FarmException.of(Code.RESOURCE_EXHAUSTED,
          "unfinished uploads hold over the server's budget of %d bytes; retry later", budgetBytes);
    }
    synchronized (p) {
      if (p.released) {
        held.addAndGet(-n);
        throw FarmException.of(Code.ABORTED, "upload was dropped (expired or restarted)");
      }
      try {
        data.writeTo(p.bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      p.touched = clock.instant();
    }
  }

  Optional<Long> committed(String name) {
    return Optional.ofNullable(partials.get(name)).map(Partial::size);
  }

  /** Bytes held by unfinished uploads. */
  long held() {
    return held.get();
  }

  void done(String name) {
    release(partials.remove(name));
  }

  private void expire() {
    Instant cutoff = clock.instant().minus(retention);
    partials.values().removeIf(p -> {
      if (p.touched.isBefore(cutoff)) {
        release(p);
        return true;
      }
      return false;
    });
  }

  private void release(Partial p) {
    if (p == null) {
      return;
    }
    synchronized (p) {
      if (!p.released) {
        p.released = true;
        held.addAndGet(-p.bytes.size());
      }
    }
  }
}
