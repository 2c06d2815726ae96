package dev.kiln.common;

import java.nio.file.Path;
import java.util.List;

/**
 * The directories a compile's toolchain lives in. Clients do not ship files from them and the
 * farm does not accept them as inputs: each worker's matching toolchain provides them, read-only.
 */
public final class SystemDirs {
  public static final List<String> PREFIXES = List.of("/usr/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/bin/", "/sbin/", "/etc/");

  private SystemDirs() {}

  /** Whether {@code p} (absolute, normalized) is one of them or below one. */
  public static boolean contains(Path p) {
    String s = p + "/";
    return PREFIXES.stream().anyMatch(s::startsWith);
  }
}
