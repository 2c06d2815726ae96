package dev.kiln.cas.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Hashing;
import dev.kiln.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link DiskTier} must do; subclasses say how to open one on a directory. */
abstract class DiskTierContract {
  @TempDir
  Path dir;

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  /** A tier on {@code dir} holding at most {@code budget} bytes of files. */
  protected abstract DiskTier open(Path dir, long budget);

  /** The key under which {@code value} is stored (its hash for a content-addressed tier). */
  protected abstract String keyOf(String name, byte[] value);

  /** Bytes a value of {@code n} bytes takes on disk. */
  protected abstract long fileBytes(long n);

  /** The file holding {@code key}. */
  protected abstract Path fileOf(Path dir, String key);

  private byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] sized(int n, char c) {
    return String.valueOf(c).repeat(n).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writtenValueReadsBack() {
    DiskTier t = open(dir, 1 << 20);
    byte[] v = value("hello disk");
    String k = keyOf("a", v);
    t.write(k, v);
    assertThat(t.read(k)).hasValue(v);
    assertThat(t.usedBytes()).isEqualTo(fileBytes(v.length));
  }

  @Test
  void absentKeyIsAMissAndNotTouched() {
    DiskTier t = open(dir, 1 << 20);
    String k = keyOf("absent", value("never written"));
    assertThat(t.read(k)).isEmpty();
    assertThat(t.touch(k)).isFalse();
  }

  @Test
  void deleteForgetsTheValue() {
    DiskTier t = open(dir, 1 << 20);
    byte[] v = value("to delete");
    String k = keyOf("d", v);
    t.write(k, v);
    t.delete(k);
    t.delete(k);
    assertThat(t.read(k)).isEmpty();
    assertThat(t.usedBytes()).isZero();
  }

  @Test
  void overBudgetEvictsLeastRecentlyUsedByBytes() {
    long each = fileBytes(1000);
    DiskTier t = open(dir, each * 3);
    byte[] a = sized(1000, 'a');
    byte[] b = sized(1000, 'b');
    byte[] c = sized(1000, 'c');
    byte[] d = sized(1000, 'd');
    t.write(keyOf("a", a), a);
    t.write(keyOf("b", b), b);
    t.write(keyOf("c", c), c);
    assertThat(t.touch(keyOf("a", a))).isTrue();
    t.write(keyOf("d", d), d);
    assertThat(t.read(keyOf("b", b))).isEmpty();
    assertThat(t.read(keyOf("a", a))).hasValue(a);
    assertThat(t.read(keyOf("c", c))).hasValue(c);
    assertThat(t.read(keyOf("d", d))).hasValue(d);
    assertThat(t.usedBytes()).isEqualTo(each * 3);
  }

  @Test
  void oneLargeValueEvictsSeveralSmallOnes() {
    DiskTier t = open(dir, fileBytes(1000) * 4);
    for (char c = 'a'; c <= 'd'; c++) {
      byte[] v = sized(1000, c);
      t.write(keyOf(String.valueOf(c), v), v);
    }
    byte[] big = sized(2500, 'z');
    t.write(keyOf("z", big), big);
    assertThat(t.read(keyOf("a", sized(1000, 'a')))).isEmpty();
    assertThat(t.read(keyOf("b", sized(1000, 'b')))).isEmpty();
    assertThat(t.read(keyOf("c", sized(1000, 'c')))).isEmpty();
    assertThat(t.read(keyOf("d", sized(1000, 'd')))).hasValue(sized(1000, 'd'));
    assertThat(t.read(keyOf("z", big))).hasValue(big);
  }

  @Test
  void valueLargerThanTheWholeBudgetIsRefused() {
    DiskTier t = open(dir, 100);
    byte[] v = sized(200, 'x');
    assertThatThrownBy(() -> t.write(keyOf("x", v), v)).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.read(keyOf("x", v))).isEmpty();
  }

  @Test
  void corruptFileIsAMissAndIsDeleted() throws IOException {
    DiskTier t = open(dir, 1 << 20);
    byte[] v = value("will be damaged");
    String k = keyOf("c", v);
    t.write(k, v);
    Path f = fileOf(dir, k);
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 1] ^= 1;
    Files.write(f, bytes);
    assertThat(t.read(k)).isEmpty();
    assertThat(f).doesNotExist();
    assertThat(t.usedBytes()).isZero();
  }

  @Test
  void truncatedFileIsAMiss() throws IOException {
    DiskTier t = open(dir, 1 << 20);
    byte[] v = value("torn by a power cut");
    String k = keyOf("t", v);
    t.write(k, v);
    Files.write(fileOf(dir, k), new byte[0]);
    assertThat(t.read(k)).isEmpty();
  }

  @Test
  void restartOnTheSameDirectoryKeepsValuesAndLruOrder() {
    long each = fileBytes(1000);
    DiskTier first = open(dir, each * 3);
    byte[] a = sized(1000, 'a');
    byte[] b = sized(1000, 'b');
    byte[] c = sized(1000, 'c');
    first.write(keyOf("a", a), a);
    clock.advance(Duration.ofSeconds(1));
    first.write(keyOf("b", b), b);
    clock.advance(Duration.ofSeconds(1));
    first.write(keyOf("c", c), c);
    clock.advance(Duration.ofSeconds(1));
    first.touch(keyOf("a", a));
    clock.advance(Duration.ofSeconds(1));

    DiskTier second = open(dir, each * 3);
    assertThat(second.usedBytes()).isEqualTo(each * 3);
    byte[] d = sized(1000, 'd');
    second.write(keyOf("d", d), d);
    assertThat(second.read(keyOf("b", b))).isEmpty();
    assertThat(second.read(keyOf("a", a))).hasValue(a);
    assertThat(second.read(keyOf("c", c))).hasValue(c);
  }

  @Test
  void restartDeletesTempFilesLeftByACrashMidWrite() throws IOException {
    byte[] v = value("kept");
    open(dir, 1 << 20).write(keyOf("k", v), v);
    Path tmp = dir.resolve("ab").resolve("ab" + "0".repeat(62) + ".1234.tmp");
    Files.createDirectories(tmp.getParent());
    Files.write(tmp, value("half a blob"));
    DiskTier again = open(dir, 1 << 20);
    assertThat(tmp).doesNotExist();
    assertThat(again.read(keyOf("k", v))).hasValue(v);
    assertThat(again.usedBytes()).isEqualTo(fileBytes(v.length));
  }

  @Test
  void restartWithASmallerBudgetEvictsTheOldest() {
    long each = fileBytes(1000);
    DiskTier first = open(dir, each * 3);
    byte[] a = sized(1000, 'a');
    byte[] b = sized(1000, 'b');
    first.write(keyOf("a", a), a);
    clock.advance(Duration.ofSeconds(1));
    first.write(keyOf("b", b), b);
    DiskTier second = open(dir, each);
    assertThat(second.read(keyOf("a", a))).isEmpty();
    assertThat(second.read(keyOf("b", b))).hasValue(b);
  }

  static String sha256(byte[] v) {
    return Hashing.sha256Hex(v);
  }
}
