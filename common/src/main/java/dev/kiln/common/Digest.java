package dev.kiln.common;

import java.util.regex.Pattern;

/**
 * A SHA-256 content digest, valid by construction: 64 lowercase hex characters and a
 * non-negative size. Raw protobuf digests never travel past a protocol adapter; they are turned
 * into this type (or refused with INVALID_ARGUMENT) at the edge.
 */
public record Digest(String hash, long size) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** The digest of the empty blob, which every CAS behaves as if it holds. */
  public static final Digest EMPTY = of(new byte[0]);

  public Digest {
    if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
      throw FarmException.invalidArgument("digest hash '%s' is not 64 lowercase hex characters (SHA-256)", hash);
    }
    if (size < 0) {
      throw FarmException.invalidArgument("digest %s has negative size %d", hash, size);
    }
  }

  /** The digest of {@code data}. */
  public static Digest of(byte[] data) {
    return new Digest(Hashing.sha256Hex(data), data.length);
  }

  /** Converts a wire digest, refusing malformed ones with INVALID_ARGUMENT. */
  public static Digest fromProto(build.bazel.remote.execution.v2.Digest proto) {
    if (proto == null) {
      throw FarmException.invalidArgument("digest is missing");
    }
    return new Digest(proto.getHash(), proto.getSizeBytes());
  }

  public build.bazel.remote.execution.v2.Digest toProto() {
    return build.bazel.remote.execution.v2.Digest.newBuilder().setHash(hash).setSizeBytes(size).build();
  }

  /** {@code hash/size}: the form used in map keys and REAPI resource names. */
  public String key() {
    return hash + "/" + size;
  }

  /** Parses {@link #key()}. */
  public static Digest fromKey(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      throw FarmException.invalidArgument("malformed digest key '%s'", key);
    }
    return new Digest(key.substring(0, slash), parseSize(key.substring(slash + 1)));
  }

  /** Parses a size field of a resource name or key. */
  public static long parseSize(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw FarmException.invalidArgument("digest size '%s' is not a number", text);
    }
  }

  /** Verifies that {@code data} has this digest; INVALID_ARGUMENT otherwise. */
  public void verify(byte[] data) {
    if (data.length != size) {
      throw FarmException.invalidArgument("blob %s has %d bytes, digest says %d", hash, data.length, size);
    }
    String actual = Hashing.sha256Hex(data);
    if (!actual.equals(hash)) {
      throw FarmException.invalidArgument("blob bytes hash to %s, not %s", actual, hash);
    }
  }

  @Override
  public String toString() {
    return key();
  }
}
