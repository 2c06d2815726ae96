package dev.kiln.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: each directory of a PATH, first executable file wins. */
public final class Executables {
  private Executables() {}

  /** {@code name} in {@code path} (a colon-separated list). */
  public static Optional<Path> find(String name, String path) {
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code name} on this process's PATH. */
  public static Optional<Path> find(String name) {
    return find(name, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }
}
