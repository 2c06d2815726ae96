package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small reads and writes of cgroup control files; a missing file reads as empty. */
final class CgroupFiles {
  private CgroupFiles() {}

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value);
  }

  static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** The value of {@code key} in a flat-keyed file such as memory.events ("oom_kill 1"), else 0. */
  static long keyed(Path file, String key) {
    for (String line : read(file).split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2 && kv[0].equals(key)) {
        try {
          return Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** The limit a group's event counters show was hit, in words for the client; memory first. */
  static java.util.Optional<String> limitHit(long oomKills, long pidsMaxEvents, SandboxLimits limits) {
    if (oomKills > 0) {
      return java.util.Optional.of("its memory limit of " + (limits.memoryBytes() >> 20) + " MiB");
    }
    if (pidsMaxEvents > 0) {
      return java.util.Optional.of("its limit of " + limits.maxProcesses() + " processes");
    }
    return java.util.Optional.empty();
  }

  /** Sends SIGKILL to every pid listed in {@code procs}; true if there was one. */
  static boolean killListed(Path procs) {
    boolean any = false;
    for (String line : read(procs).split("\n")) {
      if (!line.isBlank()) {
        any = true;
        ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    return any;
  }

  /** Kills and waits (up to ~2 s) until the group is empty, then removes it. */
  static void drainAndRemove(List<Path> dirs) {
    for (int i = 0; i < 1000; i++) {
      boolean any = false;
      for (Path d : dirs) {
        any |= killListed(d.resolve("cgroup.procs"));
      }
      if (!any) {
        break;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Path d : dirs) {
      try {
        Files.deleteIfExists(d);
      } catch (IOException e) {
        // a group that still has a process cannot be removed; the kernel frees it once empty
      }
    }
  }
}
