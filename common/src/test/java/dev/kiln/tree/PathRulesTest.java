package dev.kiln.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.SymlinkNode;
import com.google.rpc.Code;
import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRulesTest {
  private static FileNode file(String name) {
    return FileNode.newBuilder().setName(name).setDigest(Digest.EMPTY.toProto()).build();
  }

  private static void assertInvalid(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(FarmException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void canonicalDirectoryPasses() {
    assertThatCode(() -> PathRules.checkDirectory(Directory.newBuilder().addFiles(file("a.c")).addFiles(file("b.h"))
        .addDirectories(DirectoryNode.newBuilder().setName("sub").setDigest(Digest.EMPTY.toProto())).build())).doesNotThrowAnyException();
  }

  @Test
  void badNamesAreRejected() {
    for (String bad : List.of("..", ".", "a/b", "")) {
      assertInvalid(() -> PathRules.checkDirectory(Directory.newBuilder().addFiles(file(bad)).build()));
    }
  }

  @Test
  void unsortedOrDuplicatedEntriesAreRejected() {
    assertInvalid(() -> PathRules.checkDirectory(Directory.newBuilder().addFiles(file("b")).addFiles(file("a")).build()));
    assertInvalid(() -> PathRules.checkDirectory(Directory.newBuilder().addFiles(file("a")).addFiles(file("a")).build()));
    assertInvalid(() -> PathRules.checkDirectory(Directory.newBuilder().addFiles(file("a"))
        .addDirectories(DirectoryNode.newBuilder().setName("a").setDigest(Digest.EMPTY.toProto())).build()));
  }

  @Test
  void absoluteSymlinksAreRejected() {
    assertInvalid(() -> PathRules.checkDirectory(Directory.newBuilder()
        .addSymlinks(SymlinkNode.newBuilder().setName("l").setTarget("/etc/passwd")).build()));
  }

  private static Directory link(String target) {
    return Directory.newBuilder().addSymlinks(SymlinkNode.newBuilder().setName("l").setTarget(target)).build();
  }

  @Test
  void relativeSymlinksMayClimbOnlyAsFarAsTheirDepth() {
    assertThatCode(() -> PathRules.checkDirectory(link("../../include/a.h"), 2)).doesNotThrowAnyException();
    assertThatCode(() -> PathRules.checkDirectory(link("sub/./a.h"), 0)).doesNotThrowAnyException();
    assertInvalid(() -> PathRules.checkDirectory(link("../../../etc/passwd"), 2));
    assertInvalid(() -> PathRules.checkDirectory(link(".."), 0));
    assertInvalid(() -> PathRules.checkDirectory(link("../x"), 0));
  }

  @Test
  void dotDotAfterANameIsRejectedBecauseChainsOfLinksCouldClimbOut() {
    // With a sibling link d -> "..", the target d/../../x would resolve above the root.
    assertInvalid(() -> PathRules.checkDirectory(link("d/../../x"), 3));
    assertInvalid(() -> PathRules.checkDirectory(link("a/.."), 3));
  }

  @Test
  void emptyAndNulTargetsAreRejected() {
    assertInvalid(() -> PathRules.checkDirectory(link(""), 1));
    assertInvalid(() -> PathRules.checkDirectory(link("a\0b"), 1));
  }

  @Test
  void outputPathsMustStayInsideTheRoot() {
    assertThat(PathRules.checkRelativePath("bazel-out/k8/bin/a.o", "output", false)).isEqualTo("bazel-out/k8/bin/a.o");
    assertThat(PathRules.checkRelativePath("a/../b.o", "output", false)).isEqualTo("b.o");
    assertInvalid(() -> PathRules.checkRelativePath("../escape.o", "output", false));
    assertInvalid(() -> PathRules.checkRelativePath("a/../../escape.o", "output", false));
    assertInvalid(() -> PathRules.checkRelativePath("/etc/passwd", "output", false));
    assertInvalid(() -> PathRules.checkRelativePath(".", "output", false));
    assertThat(PathRules.checkRelativePath("", "working directory", true)).isEmpty();
  }
}
