package dev.kiln.worker.sandbox;

/**
 * Runs commands directly in the exec root, without isolation. Only used when the operator
 * starts a worker with --allow-unsandboxed (e.g. a container that already isolates it). It cannot
 * honour an input root path: such actions see the real exec root, and their debug info says so.
 */
public final class UnsandboxedRunner implements SandboxRunner {
  private final ProcessRunner processes = new ProcessRunner();

  @Override
  public RunResult run(RunRequest request) {
    ProcessBuilder pb = new ProcessBuilder(request.argv());
    pb.directory(request.execRoot().resolve(request.workingDirectory()).toFile());
    pb.environment().clear();
    pb.environment().putAll(request.env());
    return processes.run(pb, request);
  }

  @Override
  public void killAll() {
    processes.killAll();
  }
}
