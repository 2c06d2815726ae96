package dev.kiln.cas.disk;

import java.util.Optional;

/**
 * One member's slice of the cache on its own disk: values by key, kept within a byte budget
 * (least recently used out first). A value is on disk once {@link #write} returns; {@link #read}
 * answers only values that verify (a corrupt or torn file is deleted and reads as a miss).
 */
public interface DiskTier {
  /** The verified value, marked as just used; empty when absent or corrupt. */
  Optional<byte[]> read(String key);

  /** Stores {@code value} durably enough to survive this process (temp file, then atomic rename). */
  void write(String key, byte[] value);

  /** Marks {@code key} as just used; false when this disk does not hold it. */
  boolean touch(String key);

  /** Forgets {@code key}; absent keys are fine. */
  void delete(String key);

  /** Bytes of values held now (at most the budget). */
  long usedBytes();
}
