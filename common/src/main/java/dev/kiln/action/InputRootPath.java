package dev.kiln.action;

import build.bazel.remote.execution.v2.Action;
import build.bazel.remote.execution.v2.Command;
import build.bazel.remote.execution.v2.Platform;
import dev.kiln.common.FarmException;
import java.util.List;
import java.util.Optional;

/**
 * The platform property {@value #PROPERTY}: where the sandbox mounts the exec root, for compiles
 * whose outputs record absolute paths (debug info, absolute -I). Without it every action sees the
 * exec root at the same fixed path. The value must be an absolute, normalized path that does not
 * overlap the directories the sandbox provides read-only (the toolchain, /proc, /dev). Below /tmp is
 * fine: the sandbox's /tmp is private and the exec root is mounted over it.
 */
public final class InputRootPath {
  public static final String PROPERTY = "InputRootAbsolutePath";
  static final List<String> RESERVED = List.of("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
      "/proc", "/dev", "/sys", "/run");

  private InputRootPath() {}

  /** The property from the action's platform, else the command's (older clients); checked. */
  public static Optional<String> of(Action action, Command command) {
    Optional<String> v = find(action.getPlatform());
    return (v.isPresent() ? v : find(command.getPlatform())).map(InputRootPath::check);
  }

  /** Whether {@code path} is a place the sandbox can mount an exec root. */
  public static boolean usable(String path) {
    try {
      check(path);
      return true;
    } catch (FarmException e) {
      return false;
    }
  }

  static String check(String path) {
    if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//") || path.indexOf('\0') >= 0
        || ("/" + path + "/").contains("/./") || ("/" + path + "/").contains("/../")) {
      throw FarmException.invalidArgument("%s '%s' is not an absolute, normalized directory path", PROPERTY, path);
    }
    for (String r : RESERVED) {
      if (path.equals(r) || path.startsWith(r + "/")) {
        throw FarmException.invalidArgument("%s '%s' lies in %s, which the sandbox provides itself", PROPERTY, path, r);
      }
    }
    return path;
  }

  private static Optional<String> find(Platform p) {
    return p.getPropertiesList().stream().filter(x -> x.getName().equals(PROPERTY)).map(Platform.Property::getValue).findFirst();
  }
}
