package dev.kiln.client.cxx;

import dev.kiln.common.SystemDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where #include looks, in gcc's order: for "x" the includer's directory then the -iquote dirs;
 * for both forms then -I, -isystem, the compiler's system dirs and -idirafter. Directory listings
 * are cached (one {@code Files.isRegularFile} per candidate would dominate a scan): for one scan,
 * and across scans for the system directories, which do not change while a build runs.
 */
final class SearchPath {
  private final List<Path> quote;
  private final List<Path> chain;
  private final Map<Path, Boolean> exists = new ConcurrentHashMap<>();
  private final Map<Path, Boolean> systemExists;

  /** A found header and the position in the chain it came from (for #include_next), -1 if none. */
  record Found(Path path, int index) {}

  SearchPath(List<Path> quoteDirs, List<Path> chainDirs, Map<Path, Boolean> systemExists) {
    this.systemExists = systemExists;
    this.quote = List.copyOf(quoteDirs);
    this.chain = chainDirs.stream().map(Path::normalize).toList();
  }

  /**
   * Finds {@code name}. For #include_next, {@code nextAfter} is the chain index where the current
   * file was found; a file found beside its includer (index -1) continues after the chain entry of
   * its own directory, as gcc does ("the directory after the one in which the current file was
   * found").
   */
  Found find(String name, boolean angled, Path includerDir, int nextAfter, boolean next) {
    if (next && nextAfter < 0) {
      nextAfter = chain.indexOf(includerDir.normalize());
    }
    if (next) {
      return findInChain(name, nextAfter);
    }
    return find(name, angled, includerDir, -1);
  }

  private Found findInChain(String name, int after) {
    for (int i = Math.max(0, after + 1); i < chain.size(); i++) {
      Path c = chain.get(i).resolve(name);
      if (isFile(c)) {
        return new Found(c, i);
      }
    }
    return null;
  }

  Found find(String name, boolean angled, Path includerDir, int nextAfter) {
    Path direct = Path.of(name);
    if (direct.isAbsolute()) {
      return isFile(direct) ? new Found(direct, -1) : null;
    }
    if (nextAfter < 0 && !angled) {
      Path p = includerDir.resolve(name);
      if (isFile(p)) {
        return new Found(p, -1);
      }
      for (Path q : quote) {
        Path c = q.resolve(name);
        if (isFile(c)) {
          return new Found(c, -1);
        }
      }
    }
    for (int i = Math.max(0, nextAfter + 1); i < chain.size(); i++) {
      Path c = chain.get(i).resolve(name);
      if (isFile(c)) {
        return new Found(c, i);
      }
    }
    return null;
  }

  private boolean isFile(Path p) {
    Path n = p.normalize();
    return (SystemDirs.contains(n) ? systemExists : exists).computeIfAbsent(n, Files::isRegularFile);
  }

  /** Every non-system path this search asked about, and the answer. */
  Map<Path, Boolean> probes() {
    return exists;
  }

  static SearchPath of(CompilerFlags flags, CompilerInfo info, Map<Path, Boolean> systemExists) {
    List<Path> chain = new ArrayList<>(flags.includeDirs());
    chain.addAll(flags.systemDirs());
    chain.addAll(info.systemIncludeDirs());
    chain.addAll(flags.afterDirs());
    return new SearchPath(flags.quoteDirs(), chain, systemExists);
  }
}
