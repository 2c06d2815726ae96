package dev.kiln.worker.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where actions' control groups come from: cgroup v2 (a unified hierarchy whose root delegates
 * memory and pids), cgroup v1 (writable memory and pids hierarchies), or none, when the host
 * offers neither to this process (then the sandbox falls back to rlimits, see
 * {@link BubblewrapRunner}). Detected once per worker by creating and removing a probe group.
 */
public final class Cgroups {
  private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
  static final String PARENT = "kiln";

  private enum Kind { V1, V2, NONE }

  private final Kind kind;
  private final Path root;
  private final String why;

  private Cgroups(Kind kind, Path root, String why) {
    this.kind = kind;
    this.root = root;
    this.why = why;
  }

  /** Detects what {@code root} (normally /sys/fs/cgroup) offers. */
  public static Cgroups detect(Path root, SandboxLimits limits) {
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      try {
        String controllers = CgroupFiles.read(root.resolve("cgroup.controllers"));
        if (!controllers.contains("memory") || !controllers.contains("pids")) {
          return none(root, "cgroup v2 without the memory and pids controllers");
        }
        Files.createDirectories(root.resolve(PARENT));
        CgroupFiles.write(root.resolve("cgroup.subtree_control"), "+memory +pids");
        CgroupFiles.write(root.resolve(PARENT).resolve("cgroup.subtree_control"), "+memory +pids");
        CgroupV2.create(root.resolve(PARENT), "probe-" + UUID.randomUUID(), limits).close();
        return new Cgroups(Kind.V2, root, "");
      } catch (IOException | RuntimeException e) {
        return none(root, "cgroup v2 is not writable here (" + e.getMessage() + ")");
      }
    }
    if (Files.isDirectory(root.resolve("memory")) && Files.isDirectory(root.resolve("pids"))) {
      try {
        CgroupV1.create(root, PARENT, "probe-" + UUID.randomUUID(), limits).close();
        return new Cgroups(Kind.V1, root, "");
      } catch (IOException | RuntimeException e) {
        return none(root, "cgroup v1 memory/pids hierarchies are not writable here (" + e.getMessage() + ")");
      }
    }
    return none(root, "no cgroup v1 memory/pids or cgroup v2 hierarchy under " + root);
  }

  private static Cgroups none(Path root, String why) {
    return new Cgroups(Kind.NONE, root, why);
  }

  /** A new group for one action, or empty without cgroup support. */
  public Optional<ActionCgroup> create(String name, SandboxLimits limits) {
    try {
      return switch (kind) {
        case V1 -> Optional.of(CgroupV1.create(root, PARENT, name, limits));
        case V2 -> Optional.of(CgroupV2.create(root.resolve(PARENT), name, limits));
        case NONE -> Optional.empty();
      };
    } catch (IOException e) {
      LOG.warn("could not create cgroup {} ({}); this action runs with rlimits only", name, e.toString());
      return Optional.empty();
    }
  }

  public boolean available() {
    return kind != Kind.NONE;
  }

  /** One line for the worker's start-up log. */
  public String describe() {
    return switch (kind) {
      case V1 -> "cgroup v1 (memory, pids) under " + root;
      case V2 -> "cgroup v2 under " + root.resolve(PARENT);
      case NONE -> "no cgroups: " + why + "; memory and processes are limited by rlimits only (RLIMIT_AS, RLIMIT_NPROC)";
    };
  }
}
