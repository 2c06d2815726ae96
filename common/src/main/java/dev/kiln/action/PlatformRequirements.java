package dev.kiln.action;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Platform;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * REAPI platform matching, the one rule the front node (admission) and the worker (before running)
 * both apply: every property an action's platform names must be offered by the worker with that
 * value. A name may be required several times (several values) and offered several times (a
 * worker carries several toolchains). {@code OSFamily} and {@code ISA} values compare
 * case-insensitively ({@code Linux} = {@code linux}; {@code x86_64} = {@code amd64} = {@code x86-64}),
 * every other name and value exactly.
 *
 * <p>Not requirements but directives about how to run, ignored here: {@value InputRootPath#PROPERTY}
 * (where the sandbox mounts the exec root; every worker can) and {@code cache-silo} (a key salt
 * Goma's RBE clients use to keep cache entries apart; it asks nothing of the worker).
 */
public final class PlatformRequirements {
  /** Property names that direct execution instead of selecting a worker. */
  public static final Set<String> DIRECTIVES = Set.of(InputRootPath.PROPERTY, "cache-silo");
  private static final Set<String> CASE_INSENSITIVE = Set.of("OSFamily", "ISA");

  private PlatformRequirements() {}

  /** The platform an action asks for: Action.platform (REAPI 2.2), else Command.platform (older clients, Buck2). */
  public static Platform of(Action action, Command command) {
    return action.getPlatform().getPropertiesCount() > 0 ? action.getPlatform() : command.getPlatform();
  }

  /** The properties of {@code platform} a worker must offer (directives left out). */
  public static List<Platform.Property> requirements(Platform platform) {
    return platform.getPropertiesList().stream().filter(p -> !DIRECTIVES.contains(p.getName())).toList();
  }

  /** Whether a worker offering {@code offered} can run an action asking for {@code required}. */
  public static boolean satisfiedBy(Platform required, Collection<Platform.Property> offered) {
    return unmet(required, offered).isEmpty();
  }

  /** The requirements of {@code required} that {@code offered} does not meet. */
  public static List<Platform.Property> unmet(Platform required, Collection<Platform.Property> offered) {
    return requirements(required).stream().filter(r -> offered.stream().noneMatch(o -> matches(r, o))).toList();
  }

  static boolean matches(Platform.Property required, Platform.Property offered) {
    if (!required.getName().equals(offered.getName())) {
      return false;
    }
    if (!CASE_INSENSITIVE.contains(required.getName())) {
      return required.getValue().equals(offered.getValue());
    }
    return normalize(required.getValue()).equals(normalize(offered.getValue()));
  }

  private static String normalize(String value) {
    String v = value.toLowerCase(Locale.ROOT).replace('_', '-');
    return v.equals("amd64") ? "x86-64" : v;
  }

  /** {@code name=value, ...} for messages. */
  public static String describe(Collection<Platform.Property> properties) {
    return properties.stream().map(p -> p.getName() + "=" + p.getValue()).collect(Collectors.joining(", ", "{", "}"));
  }
}
