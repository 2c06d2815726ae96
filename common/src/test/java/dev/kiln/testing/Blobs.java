package dev.kiln.testing;

import com.google.protobuf.Message;
import dev.kiln.cas.BlobStore;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import java.nio.charset.StandardCharsets;

/** Test helpers for putting content into a CAS. */
public final class Blobs {
  private Blobs() {}

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static Digest put(BlobStore cas, byte[] data) {
    Digest d = Digest.of(data);
    Futures.await(cas.put(d, data));
    return d;
  }

  public static Digest put(BlobStore cas, Message message) {
    return put(cas, message.toByteArray());
  }
}
