package dev.kiln.cas.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionMarksTest {
  @TempDir
  Path dir;

  @Test
  void marksSurviveARestart() {
    PartitionMarks marks = new PartitionMarks(dir.resolve("cas.partitions"));
    assertThat(marks.toByteArray()).isEmpty();
    marks.mark(3);
    marks.mark(270);
    marks.mark(3);
    BitSet again = BitSet.valueOf(new PartitionMarks(dir.resolve("cas.partitions")).toByteArray());
    assertThat(again.stream().toArray()).containsExactly(3, 270);
  }
}
