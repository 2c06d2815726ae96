package dev.kiln.worker.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command to run: its exec root (the only writable place), the working directory relative
 * to it, argv, the complete environment, a timeout, files for stdout and stderr, and where the
 * sandbox should show the exec root if the action asked for a particular path.
 */
public record RunRequest(
    Path execRoot, String workingDirectory, List<String> argv, Map<String, String> env,
    Duration timeout, Path stdout, Path stderr, Optional<String> inputRootPath) {

  public RunRequest(Path execRoot, String workingDirectory, List<String> argv, Map<String, String> env, Duration timeout, Path stdout, Path stderr) {
    this(execRoot, workingDirectory, argv, env, timeout, stdout, stderr, Optional.empty());
  }
}
