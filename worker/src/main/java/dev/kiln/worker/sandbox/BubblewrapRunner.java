package dev.kiln.worker.sandbox;

import dev.kiln.common.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs commands under bubblewrap: every namespace unshared (no network but loopback, own pid
 * space), the host toolchain (/usr, /etc and the merged-usr links) read-only, a private /tmp,
 * and the exec root as the only writable path, mounted at the same place on every worker so
 * that outputs do not depend on which worker ran them: /kiln/execroot, or the action's input root
 * path when it names one.
 */
public final class BubblewrapRunner implements SandboxRunner {
  /** Where every action's exec root appears inside the sandbox. */
  public static final String SANDBOX_EXEC_ROOT = "/kiln/execroot";

  private final String bwrap;
  private final ProcessRunner processes = new ProcessRunner();

  public BubblewrapRunner(String bwrap) {
    this.bwrap = bwrap;
  }

  /**
   * Checks that bubblewrap can start a sandboxed process here; throws with the reason if not.
   */
  public static BubblewrapRunner probe(Path scratch) {
    String bwrap = Executables.find("bwrap").map(Path::toString).orElse(null);
    if (bwrap == null) {
      throw new IllegalStateException("bubblewrap (bwrap) is not installed: apt-get install bubblewrap, or start the worker with --allow-unsandboxed");
    }
    BubblewrapRunner runner = new BubblewrapRunner(bwrap);
    try {
      Path root = Files.createTempDirectory(scratch, "probe");
      RunRequest req = new RunRequest(root, "", List.of("/bin/sh", "-c", "echo ok > probe.txt"), Map.of("PATH", "/usr/bin:/bin"),
          Duration.ofSeconds(30), root.resolve("../probe.out").normalize(), root.resolve("../probe.err").normalize());
      RunResult r = runner.run(req);
      if (r.exitCode() != 0 || !Files.exists(root.resolve("probe.txt"))) {
        throw new IllegalStateException("bubblewrap cannot start a sandbox here (exit " + r.exitCode() + "): "
            + Files.readString(req.stderr()).trim() + "; or start the worker with --allow-unsandboxed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("Failed to probe bubblewrap: " + e, e);
    }
    return runner;
  }

  @Override
  public RunResult run(RunRequest request) {
    return processes.run(new ProcessBuilder(command(request)), request);
  }

  @Override
  public void killAll() {
    processes.killAll();
  }

  List<String> command(RunRequest request) {
    String visibleRoot = request.inputRootPath().orElse(SANDBOX_EXEC_ROOT);
    List<String> cmd = new ArrayList<>(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
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
    cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--bind", request.execRoot().toString(), visibleRoot,
        "--chdir", request.workingDirectory().isEmpty() ? visibleRoot : visibleRoot + "/" + request.workingDirectory(),
        "--clearenv"));
    request.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
    cmd.add("--");
    cmd.addAll(request.argv());
    return cmd;
  }
}
