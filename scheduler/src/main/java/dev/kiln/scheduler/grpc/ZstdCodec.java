package dev.kiln.scheduler.grpc;

import build.bazel.remote.execution.v2.Compressor;
import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import dev.kiln.common.FarmException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Whole-blob zstd for REAPI compressed blobs: compress a blob (or its tail, for a ByteStream read
 * at an offset) and decompress a batch entry bounded by its digest's size. CPU work: callers run
 * it through {@code Blocking.run}.
 */
final class ZstdCodec {
  /** Fast, and close to the default level's ratio on build outputs. */
  static final int LEVEL = 1;

  private ZstdCodec() {}

  /** The zstd frame of {@code blob[from..]}. */
  static byte[] compress(byte[] blob, int from) {
    int n = blob.length - from;
    byte[] dst = new byte[(int) Zstd.compressBound(n)];
    long written = Zstd.compressByteArray(dst, 0, dst.length, blob, from, n, LEVEL);
    if (Zstd.isError(written)) {
      throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(written));
    }
    return Arrays.copyOf(dst, (int) written);
  }

  /** The bytes {@code compressed} decodes to, refused past {@code limit} bytes or when corrupt. */
  static byte[] decompress(ByteString compressed, long limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 1 << 20));
    try (ZstdDecoder decoder = new ZstdDecoder(limit)) {
      decoder.feed(compressed, piece -> out.writeBytes(piece.toByteArray()));
      decoder.finish();
    }
    return out.toByteArray();
  }

  /** Refuses every compressor but IDENTITY and ZSTD, naming it. */
  static void checkSupported(Compressor.Value compressor) {
    if (compressor != Compressor.Value.IDENTITY && compressor != Compressor.Value.ZSTD) {
      throw FarmException.invalidArgument("compressor %s is not supported (supported: IDENTITY, ZSTD)", compressor);
    }
  }
}
