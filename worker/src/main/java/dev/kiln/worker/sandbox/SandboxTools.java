package dev.kiln.worker.sandbox;

import dev.kiln.common.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host programs the sandbox is built from, found on PATH: bubblewrap and util-linux's setpriv;
 * and whether this worker runs as root, in which case every action is started as the
 * unprivileged sandbox user.
 */
public record SandboxTools(String bwrap, String setpriv, boolean dropsPrivileges) {

  /** Finds the tools; a missing one is one line naming the package to install. */
  public static SandboxTools find() {
    return new SandboxTools(require("bwrap", "bubblewrap"), require("setpriv", "util-linux"), effectiveUid() == 0);
  }

  private static String require(String name, String pkg) {
    return Executables.find(name).map(Path::toString).orElseThrow(() -> new IllegalStateException(
        name + " is not installed: apt-get install " + pkg + " (or start the worker with --allow-unsandboxed where it is isolated otherwise)"));
  }

  /** This process's effective uid, from /proc/self/status; -1 if unknown. */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
