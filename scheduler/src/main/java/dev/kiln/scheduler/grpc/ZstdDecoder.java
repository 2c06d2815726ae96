package dev.kiln.scheduler.grpc;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.google.protobuf.ByteString;
import dev.kiln.common.FarmException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Incremental zstd decoding with a bound: compressed bytes are fed as they arrive (chunk
 * boundaries need not match frame boundaries, and concatenated frames are one stream, as Bazel
 * 5's per-chunk frames need), decoded in 64 KiB pieces, and the stream is refused with
 * INVALID_ARGUMENT as soon as it decodes to more than {@code limit} bytes, so a zstd bomb costs
 * at most {@code limit} bytes. Not thread-safe; CPU work, so callers run it off the event loop.
 * Holds native memory until {@link #close()}.
 */
final class ZstdDecoder implements AutoCloseable {
  private static final int PIECE = 64 * 1024;

  private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
  private final ByteBuffer in = ByteBuffer.allocateDirect(PIECE);
  private final ByteBuffer out = ByteBuffer.allocateDirect(PIECE);
  private final long limit;
  private long produced;
  private boolean fed;
  private boolean frameComplete = true;

  /**
   * The most compressed bytes a stream decoding to {@code size} bytes may take: zstd's own bound
   * (raw blocks) plus room for one frame per 16 KiB chunk, as Bazel 5 sends; more is refused, so
   * a stream of empty frames cannot keep a thread busy for nothing.
   */
  static long maxCompressedBytes(long size) {
    return size + (size >> 4) + (64 << 10);
  }

  ZstdDecoder(long limit) {
    this.limit = limit;
  }

  /** Decodes {@code data}, handing each decoded piece to {@code sink}. */
  void feed(ByteString data, Consumer<ByteString> sink) {
    try {
      for (int pos = 0; pos < data.size(); pos += PIECE) {
        int n = Math.min(PIECE, data.size() - pos);
        in.clear();
        data.substring(pos, pos + n).copyTo(in);
        in.flip();
        fed = true;
        boolean outFull;
        do {
          out.clear();
          frameComplete = ctx.decompressDirectByteBufferStream(out, in);
          out.flip();
          outFull = out.remaining() == PIECE;
          if (out.hasRemaining()) {
            produced += out.remaining();
            if (produced > limit) {
              throw FarmException.invalidArgument("zstd data decompresses to more than the %d bytes the digest declares", limit);
            }
            sink.accept(ByteString.copyFrom(out));
          }
        } while (in.hasRemaining() || outFull);
      }
    } catch (ZstdException e) {
      throw FarmException.invalidArgument("not a valid zstd stream: %s", e.getMessage());
    }
  }

  /** Checks that the stream ended on a frame boundary (a cut-off frame is INVALID_ARGUMENT). */
  void finish() {
    if (fed && !frameComplete) {
      throw FarmException.invalidArgument("zstd stream is truncated (its last frame is incomplete)");
    }
  }

  long produced() {
    return produced;
  }

  @Override
  public void close() {
    ctx.close();
  }
}
