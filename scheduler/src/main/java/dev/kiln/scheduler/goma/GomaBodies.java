package dev.kiln.scheduler.goma;

import dev.kiln.common.FarmException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Goma's body compression (goma-protocol.md §1.4). Requests arrive as gzip, "deflate" (a zlib
 * stream whose 2-byte header the client strips: raw deflate plus an adler32 trailer, read here
 * with a raw inflater that ignores the trailer) or identity; anything else is refused (400, which
 * also makes the client turn compression off). Responses follow the request's Accept-Encoding.
 */
public final class GomaBodies {
  private GomaBodies() {}

  /** The decoded body; INVALID_ARGUMENT for an unknown encoding or a corrupt stream. */
  public static byte[] decode(String contentEncoding, byte[] body, long limit) {
    String enc = contentEncoding == null ? "" : contentEncoding.toLowerCase();
    try {
      if (enc.contains("gzip")) {
        return readLimited(new GZIPInputStream(new ByteArrayInputStream(body)), limit);
      }
      if (enc.contains("deflate")) {
        return readLimited(new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(true)), limit);
      }
    } catch (IOException e) {
      throw FarmException.invalidArgument("request body does not decompress as %s: %s", enc, e.getMessage());
    }
    if (enc.isEmpty() || enc.equals("identity")) {
      return body;
    }
    throw FarmException.invalidArgument("unsupported Content-Encoding '%s'", contentEncoding);
  }

  /** The response encoding for a request's Accept-Encoding: gzip, else deflate, else none. */
  public static String responseEncoding(String acceptEncoding) {
    String acc = acceptEncoding == null ? "" : acceptEncoding.toLowerCase();
    return acc.contains("gzip") ? "gzip" : acc.contains("deflate") ? "deflate" : "identity";
  }

  /** Encodes {@code data}; "deflate" is raw deflate, as the Goma client reads it. */
  public static byte[] encode(String encoding, byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (encoding.equals("gzip")) {
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
          gz.write(data);
        }
        return out.toByteArray();
      }
      if (encoding.equals("deflate")) {
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_SPEED, true))) {
          d.write(data);
        }
        return out.toByteArray();
      }
      return data;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readLimited(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try (in) {
      for (int n; (n = read(in, buf)) > 0; ) {
        out.write(buf, 0, n);
        if (out.size() > limit) {
          throw FarmException.of(com.google.rpc.Code.RESOURCE_EXHAUSTED, "decompressed body over the limit of %d bytes", limit);
        }
      }
    }
    return out.toByteArray();
  }

  /** Reads, treating the end of a raw deflate stream followed by a trailer as the end. */
  private static int read(InputStream in, byte[] buf) throws IOException {
    try {
      return in.read(buf);
    } catch (java.io.EOFException e) {
      return -1;
    }
  }
}
