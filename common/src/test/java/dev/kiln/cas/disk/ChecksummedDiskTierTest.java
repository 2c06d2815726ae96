package dev.kiln.cas.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The action caches' disk tiers: files named by the key's SHA-256, holding a checksum and the value. */
class ChecksummedDiskTierTest extends DiskTierContract {
  @Override
  protected DiskTier open(Path dir, long budget) {
    return new FileDiskTier(dir, budget, DiskFormat.CHECKSUMMED, clock);
  }

  @Override
  protected String keyOf(String name, byte[] value) {
    return "instance\u0000" + name;
  }

  @Override
  protected long fileBytes(long n) {
    return n + 32;
  }

  @Override
  protected Path fileOf(Path dir, String key) {
    String name = sha256(key.getBytes(StandardCharsets.UTF_8));
    return dir.resolve(name.substring(0, 2)).resolve(name);
  }

  @Test
  void rewritingAKeyReplacesItsValue() {
    DiskTier t = open(dir, 1 << 20);
    t.write("k", "first".getBytes(StandardCharsets.UTF_8));
    t.write("k", "second, longer".getBytes(StandardCharsets.UTF_8));
    assertThat(t.read("k")).hasValue("second, longer".getBytes(StandardCharsets.UTF_8));
    assertThat(t.usedBytes()).isEqualTo(fileBytes("second, longer".length()));
  }
}
