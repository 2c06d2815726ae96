package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts one real sandbox at worker start-up, so that a host that cannot run one fails at once with
 * one line naming the cause and the fix, instead of failing every action later.
 */
public final class SandboxProbe {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SandboxProbe.class);

  private SandboxProbe() {}

  /** A runner whose sandbox was just seen working in {@code scratch}; IllegalStateException with the fix otherwise. */
  public static BubblewrapRunner check(Path scratch, SandboxLimits limits) {
    SandboxTools tools = SandboxTools.find();
    Cgroups cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup"), limits);
    BubblewrapRunner runner = new BubblewrapRunner(tools, limits, cgroups);
    try {
      Path dir = SandboxDirs.newScratch(runner.scratchDir(scratch), "probe");
      Path root = Files.createDirectories(dir.resolve("root"));
      RunRequest req = new RunRequest(root, "", List.of("/bin/sh", "-c", "echo ok > probe.txt"), Map.of("PATH", "/usr/bin:/bin"),
          Duration.ofSeconds(30), dir.resolve("probe.out"), dir.resolve("probe.err"));
      RunResult r = runner.run(req);
      boolean ok = r.exitCode() == 0 && Files.exists(root.resolve("probe.txt"));
      String err = Files.readString(req.stderr()).trim();
      SandboxDirs.remove(dir);
      if (!ok) {
        throw new IllegalStateException(explain(err, r.exitCode()));
      }
      LOG.info("sandbox: bubblewrap, actions run as {}; limits: {}", tools.dropsPrivileges()
          ? "uid " + limits.sandboxUid() + " without capabilities" : "this worker's own uid", cgroups.describe());
    } catch (IOException e) {
      throw new IllegalStateException("Failed to probe the sandbox in " + scratch + ": " + e, e);
    }
    return runner;
  }

  /** The cause and the fix for what bubblewrap printed. */
  static String explain(String stderr, int exit) {
    String fix;
    if (stderr.contains("No permissions to creat") || stderr.contains("setting up uid map") || stderr.contains("Operation not permitted")
        && stderr.contains("namespace")) {
      fix = "user namespaces are disabled for unprivileged users: sysctl -w kernel.unprivileged_userns_clone=1 and "
          + "user.max_user_namespaces=10000 (Ubuntu 23.10+: kernel.apparmor_restrict_unprivileged_userns=0)";
    } else if (stderr.contains("Can't mount proc") || stderr.contains("max_user_namespaces")
        || stderr.contains("mount") && stderr.contains("Operation not permitted")) {
      fix = "the container forbids the mounts a sandbox needs: run the worker with security_opt seccomp=unconfined and "
          + "apparmor=unconfined, plus cap_add SYS_ADMIN (Kiln's image then prepares /proc for bubblewrap and drops it) "
          + "or systempaths=unconfined (see docs/adr/0010)";
    } else if (stderr.contains("Can't find source path") || stderr.contains("Permission denied")) {
      fix = "the sandbox user cannot reach the exec root: choose a --data-dir whose parent directories are searchable (o+x)";
    } else {
      fix = "see bubblewrap's message";
    }
    return "the sandbox cannot start here (bwrap exit " + exit + ": " + stderr + "): " + fix
        + "; or start the worker with --allow-unsandboxed where it is isolated otherwise";
  }
}
