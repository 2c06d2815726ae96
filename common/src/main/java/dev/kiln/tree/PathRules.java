package dev.kiln.tree;

import build.bazel.remote.execution.v2.Directory;
import build.bazel.remote.execution.v2.DirectoryNode;
import build.bazel.remote.execution.v2.FileNode;
import build.bazel.remote.execution.v2.SymlinkNode;
import dev.kiln.common.FarmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The path rules of REAPI inputs and outputs, checked at the edge so that nothing a client sends
 * can make a worker write outside its exec root: Directory entries are single, sorted, unique
 * path segments; output paths and the working directory are relative and stay inside the root.
 */
public final class PathRules {
  private PathRules() {}

  /** Checks one Directory message, as found at the root, for canonical form; INVALID_ARGUMENT otherwise. */
  public static void checkDirectory(Directory dir) {
    checkDirectory(dir, 0);
  }

  /**
   * Checks one Directory message that appears {@code depth} directories below the root: canonical
   * form, and symlinks whose targets stay inside the root ({@link #checkSymlinkTarget}).
   */
  public static void checkDirectory(Directory dir, int depth) {
    List<String> files = new ArrayList<>();
    for (FileNode f : dir.getFilesList()) {
      files.add(f.getName());
    }
    List<String> dirs = new ArrayList<>();
    for (DirectoryNode d : dir.getDirectoriesList()) {
      dirs.add(d.getName());
    }
    List<String> links = new ArrayList<>();
    for (SymlinkNode s : dir.getSymlinksList()) {
      links.add(s.getName());
      checkSymlinkTarget(s.getName(), s.getTarget(), depth);
    }
    Set<String> all = new HashSet<>();
    for (List<String> names : List.of(files, dirs, links)) {
      checkSorted(names);
      for (String n : names) {
        checkSegment(n);
        if (!all.add(n)) {
          throw FarmException.invalidArgument("directory entry '%s' appears more than once", n);
        }
      }
    }
  }

  /** A single path segment: non-empty, not '.' or '..', no '/' or NUL. */
  public static void checkSegment(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("directory entry name '%s' is not a single path segment", name);
    }
  }

  /**
   * A path relative to the exec root (output path or working directory) that stays inside it.
   * Returns the normalized form ("" for the root itself, when {@code allowRoot}).
   */
  public static String checkRelativePath(String path, String what, boolean allowRoot) {
    if (path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("%s '%s' must be a relative path", what, path);
    }
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (out.isEmpty()) {
          throw FarmException.invalidArgument("%s '%s' escapes the exec root", what, path);
        }
        out.remove(out.size() - 1);
      } else {
        out.add(seg);
      }
    }
    if (out.isEmpty() && !allowRoot) {
      throw FarmException.invalidArgument("%s '%s' names the exec root itself", what, path);
    }
    return String.join("/", out);
  }

  /**
   * A symlink's target, seen from a directory {@code depth} levels below the root, must stay inside
   * the root: relative, and of the form {@code ../../a/b}, climbing at most {@code depth} levels and
   * only at its start. Allowing '..' after a name would let a chain of individually harmless links
   * climb out (a link "d" to ".." and a target "d/../../x"); this form makes every hop land inside.
   */
  static void checkSymlinkTarget(String name, String target, int depth) {
    if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("symlink '%s' has target '%s'; only relative targets inside the input root are allowed", name, target);
    }
    int climb = 0;
    boolean named = false;
    for (String seg : target.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (named) {
          throw FarmException.invalidArgument("symlink '%s' has target '%s'; '..' may only lead a target", name, target);
        }
        climb++;
      } else {
        named = true;
      }
    }
    if (climb > depth) {
      throw FarmException.invalidArgument("symlink '%s' has target '%s', which climbs out of the input root", name, target);
    }
  }

  private static void checkSorted(List<String> names) {
    for (int i = 1; i < names.size(); i++) {
      if (compareUtf8(names.get(i - 1), names.get(i)) >= 0) {
        throw FarmException.invalidArgument("directory entries '%s' and '%s' are not sorted or are duplicated", names.get(i - 1), names.get(i));
      }
    }
  }

  private static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
