package dev.kiln.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Directory;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import org.junit.jupiter.api.Test;

class InputRootBuilderTest {
  @Test
  void buildsCanonicalSortedDirectories() {
    Digest a = Digest.of(new byte[] {1});
    InputRootBuilder.Built b = new InputRootBuilder().addFile("src/z.c", a, false).addFile("src/a.c", a, false)
        .addFile("inc/x.h", a, false).addDirectory("build/obj").build();
    Directory root = b.directories().get(b.root());
    assertThat(root.getDirectoriesList()).extracting(n -> n.getName()).containsExactly("build", "inc", "src");
    b.directories().values().forEach(PathRules::checkDirectory);
    Directory src = b.directories().get(Digest.fromProto(root.getDirectories(2).getDigest()));
    assertThat(src.getFilesList()).extracting(f -> f.getName()).containsExactly("a.c", "z.c");
  }

  @Test
  void sameInputsSameDigestAndConflictsAreRefused() {
    Digest a = Digest.of(new byte[] {1});
    Digest b = Digest.of(new byte[] {2});
    assertThat(new InputRootBuilder().addFile("x/a", a, false).addFile("y", b, true).build().root())
        .isEqualTo(new InputRootBuilder().addFile("y", b, true).addFile("x/a", a, false).build().root());
    assertThatThrownBy(() -> new InputRootBuilder().addFile("a", a, false).addFile("a", b, false)).isInstanceOf(FarmException.class);
    assertThatThrownBy(() -> new InputRootBuilder().addFile("a/..", a, false)).isInstanceOf(FarmException.class);
  }
}
