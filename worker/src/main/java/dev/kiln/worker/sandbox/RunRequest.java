package dev.kiln.worker.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command to run: its exec root (the only writable place), the working directory relative
 * to it, argv, the complete environment, a timeout, and files for stdout and stderr.
 */
public record RunRequest(
    Path execRoot, String workingDirectory, List<String> argv, Map<String, String> env,
    Duration timeout, Path stdout, Path stderr) {}
