package dev.kiln.scheduler.goma;

import dev.kiln.proto.events.Toolchain;
import dev.kiln.proto.events.WorkerHeartbeat;
import dev.kiln.proto.goma.CommandSpec;
import dev.kiln.scheduler.Blocking;
import dev.kiln.state.WorkerRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The compilers live workers announced, and Goma's selection: the exact binary hash when the
 * client sends one, otherwise name, version and (normalized) target must all match. There is no
 * fuzzy version matching: a compile must run on the compiler the client asked for.
 */
public final class ToolchainCatalog {
  private final WorkerRegistry registry;
  private final Clock clock;
  private final Duration maxAge;
  private volatile Snapshot snapshot = new Snapshot(Instant.EPOCH, List.of());

  private record Snapshot(Instant taken, List<Toolchain> toolchains) {}

  public ToolchainCatalog(WorkerRegistry registry, Clock clock, Duration maxAge) {
    this.registry = registry;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  public Future<Optional<Toolchain>> select(CommandSpec spec) {
    return toolchains().map(all -> all.stream().filter(t -> matches(spec, t)).findFirst());
  }

  static boolean matches(CommandSpec spec, Toolchain t) {
    if (!spec.getBinaryHash().isEmpty()) {
      return spec.getBinaryHash().toStringUtf8().equals(t.getBinarySha256()) && spec.getName().equals(t.getName());
    }
    return spec.getName().equals(t.getName()) && spec.getVersion().equals(t.getVersion())
        && normalizeTarget(spec.getTarget()).equals(normalizeTarget(t.getTarget()));
  }

  /** Goma's target normalization: x86_64-pc-linux-gnu and x86_64-linux-gnu are the same target. */
  static String normalizeTarget(String target) {
    String[] parts = target.split("-");
    if (parts.length < 3) {
      return target;
    }
    String arch = parts[0].replaceFirst("^i[3-6]86$", "i686").replace("amd64", "x86_64");
    String os = parts.length == 4 ? parts[2] : parts[1];
    if (parts.length == 3 && !parts[2].startsWith("gnu") && !parts[2].startsWith("linux")) {
      os = parts[2];
    }
    return arch + "-" + os.replaceFirst("-?gnu.*$", "");
  }

  private Future<List<Toolchain>> toolchains() {
    Snapshot s = snapshot;
    if (clock.instant().isBefore(s.taken().plus(maxAge)) && !s.toolchains().isEmpty()) {
      return Future.succeededFuture(s.toolchains());
    }
    return Blocking.onContext(registry.live()).map(workers -> {
      List<Toolchain> all = workers.stream().map(WorkerHeartbeat::getToolchainsList).flatMap(List::stream).toList();
      snapshot = new Snapshot(clock.instant(), all);
      return all;
    });
  }
}
