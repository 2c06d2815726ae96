package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs commands under bubblewrap, unprivileged: when the worker is root the sandbox is started as
 * {@code sandboxUid}/{@code sandboxGid} with no capabilities and no_new_privs (a uid mapping inside
 * a user namespace alone would still be host root), and bubblewrap drops every capability inside.
 * Every namespace is unshared (no network, not even the worker's 127.0.0.1; own pid space; no host
 * processes); the host toolchain (/usr, /etc and the merged-usr links) is read-only; /tmp is a
 * private tmpfs of bounded size; the environment is exactly the action's; the exec root is the
 * only writable host path, mounted at the same place on every worker (/kiln/execroot, or the
 * action's input root path when it names one). Memory and processes are bounded by a cgroup per
 * action ({@link Cgroups}), or by rlimits where the host offers no cgroups; file size by
 * RLIMIT_FSIZE; the exec root's disk use by {@link DiskWatch}. See docs/security.md. The sandbox's
 * first process is /bin/sh (dash on Debian) for the cgroup entry and the rlimits.
 */
public final class BubblewrapRunner implements SandboxRunner {
  /** Where every action's exec root appears inside the sandbox. */
  public static final String SANDBOX_EXEC_ROOT = "/kiln/execroot";

  private final SandboxTools tools;
  private final SandboxLimits limits;
  private final Cgroups cgroups;
  private final ProcessRunner processes = new ProcessRunner();

  public BubblewrapRunner(SandboxTools tools, SandboxLimits limits, Cgroups cgroups) {
    this.tools = tools;
    this.limits = limits;
    this.cgroups = cgroups;
  }

  @Override
  public RunResult run(RunRequest request) {
    Optional<ActionCgroup> group = cgroups.create("action-" + UUID.randomUUID(), limits);
    try {
      if (tools.dropsPrivileges()) {
        Ownership.give(request.execRoot(), limits.sandboxUid(), limits.sandboxGid());
      }
      ProcessBuilder pb = new ProcessBuilder(command(request, group.map(ActionCgroup::procsFiles).orElse(List.of())));
      pb.environment().clear();
      pb.environment().put("PATH", "/usr/bin:/bin");
      pb.directory(new java.io.File("/"));
      DiskWatch disk = new DiskWatch(request.execRoot(), limits.maxExecRootBytes());
      RunResult r = processes.run(pb, request, disk::check, () -> group.ifPresent(ActionCgroup::killAll));
      group.ifPresent(ActionCgroup::killAll);
      return r.limitHit().isPresent() ? r : r.withLimitHit(group.flatMap(ActionCgroup::limitHit));
    } finally {
      group.ifPresent(ActionCgroup::close);
    }
  }

  @Override
  public void killAll() {
    processes.killAll();
  }

  @Override
  public Path scratchDir(Path preferred) {
    return tools.dropsPrivileges() ? SandboxDirs.reachable(preferred, limits.sandboxUid()) : preferred;
  }

  /**
   * The whole command line: one shell enters the cgroup (as root, before anything else), sets the
   * rlimits (dash's ulimit: -f in 512-byte blocks, -v in KiB, -p processes) and forgets its
   * directory, then execs setpriv (to the sandbox user) and bubblewrap; no extra program per step.
   */
  List<String> command(RunRequest request, List<Path> procsFiles) {
    StringBuilder sh = new StringBuilder();
    for (Path p : procsFiles) {
      sh.append("echo $$ > '").append(p).append("' && ");
    }
    sh.append("ulimit -c 0 && ulimit -f ").append(Math.max(1, limits.maxOutputBytes() / 512));
    if (procsFiles.isEmpty()) {
      sh.append(" && ulimit -v ").append(Math.max(1, limits.memoryBytes() / 1024));
      if (tools.dropsPrivileges()) {
        sh.append(" && ulimit -p ").append(limits.maxProcesses());
      }
    }
    // unset PWD: the shell would pass the worker's directory on to the sandbox's init.
    sh.append(" && unset PWD && exec \"$@\"");
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", sh.toString(), "kiln-sandbox"));
    if (tools.dropsPrivileges()) {
      cmd.addAll(List.of(tools.setpriv(), "--reuid=" + limits.sandboxUid(), "--regid=" + limits.sandboxGid(), "--clear-groups",
          "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
    }
    cmd.addAll(bwrap(request));
    return cmd;
  }

  private List<String> bwrap(RunRequest request) {
    String visibleRoot = request.inputRootPath().orElse(SANDBOX_EXEC_ROOT);
    // --disable-userns: no nested user namespace, in which the action could mount a tmpfs of its own.
    List<String> cmd = new ArrayList<>(List.of(tools.bwrap(), "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
        "--cap-drop", "ALL", "--hostname", "kiln-sandbox", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
    for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      Path p = Path.of(top);
      if (Files.isSymbolicLink(p)) {
        try {
          cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      } else if (Files.isDirectory(p)) {
        cmd.addAll(List.of("--ro-bind", top, top));
      }
    }
    // Every writable tmpfs is bounded (its pages are also charged to the action's cgroup): /tmp,
    // /dev/shm; the rest of /dev is read-only (its device nodes still work).
    String tmpfsBytes = Long.toString(limits.memoryBytes());
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", tmpfsBytes, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
        "--size", tmpfsBytes, "--tmpfs", "/tmp",
        "--bind", request.execRoot().toString(), visibleRoot,
        "--chdir", request.workingDirectory().isEmpty() ? visibleRoot : visibleRoot + "/" + request.workingDirectory(),
        "--clearenv"));
    request.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
    cmd.add("--");
    cmd.addAll(request.argv());
    return cmd;
  }
}
