package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An action's group on a cgroup v2 (unified) host: one directory with memory.max and pids.max. */
final class CgroupV2 implements ActionCgroup {
  private final Path dir;
  private final SandboxLimits limits;

  private CgroupV2(Path dir, SandboxLimits limits) {
    this.dir = dir;
    this.limits = limits;
  }

  /** Creates {@code <parent>/<name>}; the parent must delegate the memory and pids controllers. */
  static CgroupV2 create(Path parent, String name, SandboxLimits limits) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    CgroupFiles.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
    if (Files.exists(dir.resolve("memory.swap.max"))) {
      CgroupFiles.write(dir.resolve("memory.swap.max"), "0");
    }
    CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
    return new CgroupV2(dir, limits);
  }

  @Override
  public List<Path> procsFiles() {
    return List.of(dir.resolve("cgroup.procs"));
  }

  @Override
  public Optional<String> limitHit() {
    return CgroupFiles.limitHit(CgroupFiles.keyed(dir.resolve("memory.events"), "oom_kill"),
        CgroupFiles.keyed(dir.resolve("pids.events"), "max"), limits);
  }

  @Override
  public void killAll() {
    Path kill = dir.resolve("cgroup.kill");
    try {
      if (Files.exists(kill)) {
        CgroupFiles.write(kill, "1");
        return;
      }
    } catch (IOException e) {
      // older kernels: kill pid by pid below
    }
    CgroupFiles.killListed(dir.resolve("cgroup.procs"));
  }

  @Override
  public void close() {
    killAll();
    CgroupFiles.drainAndRemove(List.of(dir));
  }
}
