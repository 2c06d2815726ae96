package dev.kiln.cas.disk;

import dev.kiln.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a value becomes a file and is checked when read back. {@link #CONTENT_ADDRESSED} (the CAS):
 * the key is the value's SHA-256, the file is named by it and holds the bare bytes.
 * {@link #CHECKSUMMED} (action results, opaque entries): the file is named by the SHA-256 of the
 * key and holds the value's SHA-256 (32 bytes) followed by the value.
 */
public enum DiskFormat {
  CONTENT_ADDRESSED {
    @Override
    public String fileName(String key) {
      if (!SHA256_HEX.matcher(key).matches()) {
        throw new IllegalArgumentException("a content-addressed key is 64 lowercase hex characters, not '" + key + "'");
      }
      return key;
    }

    @Override
    byte[] encode(byte[] value) {
      return value;
    }

    @Override
    Optional<byte[]> decode(String fileName, byte[] file) {
      return Hashing.sha256Hex(file).equals(fileName) ? Optional.of(file) : Optional.empty();
    }
  },
  CHECKSUMMED {
    @Override
    public String fileName(String key) {
      return Hashing.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    byte[] encode(byte[] value) {
      byte[] sum = Hashing.sha256().digest(value);
      byte[] file = Arrays.copyOf(sum, sum.length + value.length);
      System.arraycopy(value, 0, file, sum.length, value.length);
      return file;
    }

    @Override
    Optional<byte[]> decode(String fileName, byte[] file) {
      if (file.length < 32) {
        return Optional.empty();
      }
      byte[] value = Arrays.copyOfRange(file, 32, file.length);
      boolean ok = MessageDigest.isEqual(Arrays.copyOf(file, 32), Hashing.sha256().digest(value));
      return ok ? Optional.of(value) : Optional.empty();
    }
  };

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** The file's name for {@code key}: 64 hex characters either way. */
  public abstract String fileName(String key);

  abstract byte[] encode(byte[] value);

  /** The value in {@code file} when it verifies. */
  abstract Optional<byte[]> decode(String fileName, byte[] file);

  static boolean isFileName(String name) {
    return SHA256_HEX.matcher(name).matches();
  }
}
