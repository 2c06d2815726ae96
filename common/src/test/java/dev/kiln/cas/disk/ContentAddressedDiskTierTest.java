package dev.kiln.cas.disk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CAS's disk tier: files named by the blob's SHA-256, holding the bare blob. */
class ContentAddressedDiskTierTest extends DiskTierContract {
  @Override
  protected DiskTier open(Path dir, long budget) {
    return new FileDiskTier(dir, budget, DiskFormat.CONTENT_ADDRESSED, clock);
  }

  @Override
  protected String keyOf(String name, byte[] value) {
    return sha256(value);
  }

  @Override
  protected long fileBytes(long n) {
    return n;
  }

  @Override
  protected Path fileOf(Path dir, String key) {
    return dir.resolve(key.substring(0, 2)).resolve(key);
  }

  @Test
  void keyThatIsNotAHashIsRefused() {
    DiskTier t = open(dir, 1 << 20);
    assertThatThrownBy(() -> t.read("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }
}
