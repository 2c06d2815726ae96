package dev.kiln.client.remote;

import dev.kiln.proto.goma.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs a compile declared, by the name the request gave the farm ({@code
 * expected_output_files}) and the path the compile named. The farm's answer is checked against
 * them as a whole before anything is written: a successful answer must carry every declared output
 * once and nothing else, and each is written at the path the compile named, never at a path built
 * from the farm's name. Why: the farm's answer is input from the network; a name such as
 * {@code /home/u/.bashrc} or {@code ../../x} must not become a write on this machine.
 */
final class DeclaredOutputs {
  private final Path cwd;
  private final Map<String, Path> byName = new LinkedHashMap<>();

  DeclaredOutputs(Path cwd, List<Path> outputs) {
    this.cwd = cwd;
    outputs.forEach(out -> byName.put(cwd.relativize(out).toString(), out));
  }

  /** The names the request declares, in the compile's order. */
  Iterable<String> names() {
    return byName.keySet();
  }

  /**
   * Where each output of a successful answer goes; throws, having written nothing, if any output
   * is not one the compile declared, is answered twice or is missing, or if a directory between
   * the working directory and a declared output is a symlink.
   */
  Map<Path, ExecResult.Output> place(List<ExecResult.Output> answered) throws RefusedAnswer {
    Map<Path, ExecResult.Output> placed = new LinkedHashMap<>();
    for (ExecResult.Output out : answered) {
      String name = out.getFilename();
      Path target = byName.get(name);
      if (target == null) {
        throw new RefusedAnswer("it names an output the compile did not declare: '" + printable(name) + "'" + kind(name));
      }
      if (placed.put(target, out) != null) {
        throw new RefusedAnswer("it names the output '" + printable(name) + "' twice");
      }
    }
    for (Map.Entry<String, Path> e : byName.entrySet()) {
      if (!placed.containsKey(e.getValue())) {
        throw new RefusedAnswer("exit status 0 without the declared output '" + printable(e.getKey()) + "'");
      }
      java.util.Optional<Path> link = throughSymlink(e.getValue());
      if (link.isPresent()) {
        throw new RefusedAnswer("the output directory " + link.get() + " is a symlink");
      }
    }
    return placed;
  }

  /** The first directory strictly below the working directory on the way to {@code target} that is a symlink. */
  private java.util.Optional<Path> throughSymlink(Path target) {
    Path parent = target.getParent();
    if (parent == null || !parent.startsWith(cwd) || parent.equals(cwd)) {
      return java.util.Optional.empty(); // in the working directory itself, or a path outside the build tree the compile named
    }
    Path dir = cwd;
    for (Path part : cwd.relativize(parent)) {
      dir = dir.resolve(part);
      if (Files.isSymbolicLink(dir)) {
        return java.util.Optional.of(dir);
      }
    }
    return java.util.Optional.empty();
  }

  private static String kind(String name) {
    if (name.startsWith("/")) {
      return " (an absolute path)";
    }
    return List.of(name.split("/")).contains("..") ? " (it climbs out with ..)" : "";
  }

  private static String printable(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Writes every placed output atomically; call only once {@link #place} accepted the answer. */
  static void write(Map<Path, ExecResult.Output> placed) throws IOException {
    for (Map.Entry<Path, ExecResult.Output> e : placed.entrySet()) {
      GomaRemoteCompiler.writeAtomically(e.getKey(), e.getValue().getBlob().getContent().toByteArray(), e.getValue().getIsExecutable());
    }
  }
}
