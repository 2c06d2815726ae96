package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import dev.kiln.common.InstanceNames;
import org.junit.jupiter.api.Test;

/** {@link InstanceNames} (common), tested here beside the endpoints that rely on it. */
class InstanceNamesTest {
  @Test
  void stripsLeadingAndTrailingSlashesOnly() {
    assertThat(InstanceNames.normalize("")).isEmpty();
    assertThat(InstanceNames.normalize("/")).isEmpty();
    assertThat(InstanceNames.normalize("x")).isEqualTo("x");
    assertThat(InstanceNames.normalize("/x")).isEqualTo("x");
    assertThat(InstanceNames.normalize("//x/")).isEqualTo("x");
    assertThat(InstanceNames.normalize("/projects/p/instances/i/")).isEqualTo("projects/p/instances/i");
    assertThat(InstanceNames.normalize("a//b")).isEqualTo("a//b");
    assertThat(InstanceNames.normalize("a.b/..c/...")).isEqualTo("a.b/..c/...");
  }

  @Test
  void refusesNulAndDotSegments() {
    for (String bad : new String[] {"a\0b", "\0", ".", "..", "/../x", "a/./b", "a/..", "x/../../etc"}) {
      assertThatThrownBy(() -> InstanceNames.normalize(bad)).as(bad)
          .isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
  }
}
