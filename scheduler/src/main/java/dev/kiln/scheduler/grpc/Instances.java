package dev.kiln.scheduler.grpc;

import dev.kiln.common.FarmException;

/** Instance names are namespaces for the action cache; any name without NUL is accepted. */
final class Instances {
  private Instances() {}

  static String check(String instance) {
    if (instance.indexOf('\0') >= 0) {
      throw FarmException.invalidArgument("instance name contains NUL");
    }
    return instance.startsWith("/") ? instance.substring(1) : instance;
  }
}
