package dev.kiln.worker.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One action's control group: the sandbox enters it before it drops privileges (by writing its
 * pid to every file of {@link #procsFiles}), the kernel enforces its memory and process limits,
 * and afterwards it tells which limit stopped the action and kills whatever is left in it.
 */
public interface ActionCgroup extends AutoCloseable {
  /** The {@code cgroup.procs} files the sandbox's first process writes its pid to. */
  List<Path> procsFiles();

  /** The limit the action ran into, in words for the client (e.g. "its memory limit of 4096 MiB"). */
  Optional<String> limitHit();

  /** Kills every process still in the group. */
  void killAll();

  /** Kills what is left and removes the group. */
  @Override
  void close();
}
