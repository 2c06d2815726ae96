package dev.kiln.tree;

import static org.assertj.core.api.Assertions.assertThat;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.SymlinkNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import dev.kiln.common.FarmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The path rules on what a client controls: Directory blobs (their entry names and symlink
 * targets) and relative paths (output paths, working directories). Each either passes or fails
 * with INVALID_ARGUMENT, and what passes is what the rules promise. Seeds:
 * src/test/resources/dev/kiln/tree/PathRulesFuzzTestInputs/{directory,relativePath}/.
 */
class PathRulesFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void directory(byte[] data) {
    Directory dir;
    try {
      dir = Directory.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    try {
      PathRules.checkDirectory(dir);
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
      return;
    }
    // Accepted: every name is one segment, and no name appears twice.
    Set<String> names = new HashSet<>();
    List<String> all = new ArrayList<>();
    dir.getFilesList().stream().map(FileNode::getName).forEach(all::add);
    dir.getDirectoriesList().stream().map(DirectoryNode::getName).forEach(all::add);
    dir.getSymlinksList().stream().map(SymlinkNode::getName).forEach(all::add);
    for (String n : all) {
      PathRules.checkSegment(n);
      assertThat(names.add(n)).as("duplicate entry %s", n).isTrue();
    }
    for (SymlinkNode s : dir.getSymlinksList()) {
      assertThat(s.getTarget()).as("symlink %s", s.getName()).isNotEmpty().doesNotStartWith("/");
    }
  }

  @FuzzTest(maxDuration = "60s")
  void relativePath(byte[] data) {
    boolean allowRoot = data.length > 0 && (data[0] & 1) == 1;
    String path = new String(data, StandardCharsets.UTF_8);
    String normalized;
    try {
      normalized = PathRules.checkRelativePath(path, "output path", allowRoot);
    } catch (FarmException e) {
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
      return;
    }
    // Accepted: normalized, inside the root, and a fixed point of the rule.
    assertThat(normalized).doesNotStartWith("/").doesNotContain("\0");
    if (!allowRoot) {
      assertThat(normalized).isNotEmpty();
    }
    if (!normalized.isEmpty()) {
      for (String seg : normalized.split("/", -1)) {
        assertThat(seg).as("segment of '%s'", normalized).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..");
      }
    }
    assertThat(PathRules.checkRelativePath(normalized, "output path", allowRoot)).isEqualTo(normalized);
  }
}
