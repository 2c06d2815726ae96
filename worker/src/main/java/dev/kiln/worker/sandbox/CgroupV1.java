package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An action's group on a cgroup v1 host: one directory under the memory and the pids hierarchies. */
final class CgroupV1 implements ActionCgroup {
  private final Path memory;
  private final Path pids;
  private final SandboxLimits limits;

  private CgroupV1(Path memory, Path pids, SandboxLimits limits) {
    this.memory = memory;
    this.pids = pids;
    this.limits = limits;
  }

  /** Creates {@code <root>/memory/<parent>/<name>} and {@code <root>/pids/<parent>/<name>} with the limits. */
  static CgroupV1 create(Path root, String parent, String name, SandboxLimits limits) throws IOException {
    Path memory = Files.createDirectories(root.resolve("memory").resolve(parent).resolve(name));
    Path pids = Files.createDirectories(root.resolve("pids").resolve(parent).resolve(name));
    CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
    // Without swap accounting memsw files are absent; swappiness 0 keeps the limit a memory limit.
    if (Files.exists(memory.resolve("memory.swappiness"))) {
      CgroupFiles.write(memory.resolve("memory.swappiness"), "0");
    }
    CgroupFiles.write(pids.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
    return new CgroupV1(memory, pids, limits);
  }

  @Override
  public List<Path> procsFiles() {
    return List.of(memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs"));
  }

  @Override
  public Optional<String> limitHit() {
    return CgroupFiles.limitHit(CgroupFiles.keyed(memory.resolve("memory.oom_control"), "oom_kill"),
        CgroupFiles.keyed(pids.resolve("pids.events"), "max"), limits);
  }

  @Override
  public void killAll() {
    CgroupFiles.killListed(memory.resolve("cgroup.procs"));
    CgroupFiles.killListed(pids.resolve("cgroup.procs"));
  }

  @Override
  public void close() {
    CgroupFiles.drainAndRemove(List.of(memory, pids));
  }
}
