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
import java.util.function.Supplier;

/**
 * Partial ByteStream uploads by resource name, so that a client whose Write was cut off can ask
 * QueryWriteStatus and resume from the committed size with the same name (Bazel does). Entries
 * are dropped once complete or after {@code retention} without progress. Their bytes are held in
 * memory, so all of them together stay within {@code budgetBytes}: a write that would pass it is
 * refused with RESOURCE_EXHAUSTED (the client retries later) instead of running the node out of heap.
 * A compressed upload holds its decoded bytes (what the budget counts) and its zstd decoder, closed
 * when the entry is dropped; its committed size is the compressed bytes received.
 */
final class UploadTracker {
  private final Map<String, Partial> partials = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;
  private final long budgetBytes;
  private final AtomicLong held = new AtomicLong();

  static final class Partial {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** For a compressed upload: its decoder (state kept across a resumed Write), else null. */
    final ZstdDecoder decoder;
    volatile Instant touched;
    private boolean released;
    private long compressedBytes;

    Partial(Instant now, ZstdDecoder decoder) {
      touched = now;
      this.decoder = decoder;
    }

    /** Uncompressed bytes held. */
    synchronized long size() {
      return bytes.size();
    }

    /** What the client has committed: bytes received on the wire (compressed ones for a compressed upload). */
    synchronized long committed() {
      return decoder == null ? bytes.size() : compressedBytes;
    }

    /** Counts compressed bytes once they are decoded. */
    synchronized void received(long n) {
      compressedBytes += n;
    }

    synchronized boolean released() {
      return released;
    }
  }

  UploadTracker(Clock clock, Duration retention, long budgetBytes) {
    this.clock = clock;
    this.retention = retention;
    this.budgetBytes = budgetBytes;
  }

  /** The partial upload under {@code name}, creating an empty one when {@code offset} is 0. */
  Optional<Partial> resume(String name, long offset) {
    return resume(name, offset, () -> null);
  }

  /**
   * As {@link #resume(String, long)}; a new partial gets the decoder {@code decoders} makes (null
   * for an uncompressed upload), and {@code offset} is compared with the committed (wire) size.
   */
  Optional<Partial> resume(String name, long offset, Supplier<ZstdDecoder> decoders) {
    expire();
    if (offset == 0) {
      Partial p = new Partial(clock.instant(), decoders.get());
      release(partials.put(name, p));
      return Optional.of(p);
    }
    Partial p = partials.get(name);
    if (p == null || p.committed() != offset) {
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
    return Optional.ofNullable(partials.get(name)).map(Partial::committed);
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
        if (p.decoder != null) {
          p.decoder.close();
        }
      }
    }
  }
}
