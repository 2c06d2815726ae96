package dev.kiln.scheduler.exec;

import build.bazel.remote.execution.v2.DigestFunction;
import dev.kiln.common.FarmException;

/** Kiln speaks SHA-256 only; a request naming another digest function is refused. */
public final class DigestFunctions {
  private DigestFunctions() {}

  public static void check(DigestFunction.Value f) {
    if (f != DigestFunction.Value.UNKNOWN && f != DigestFunction.Value.SHA256) {
      throw FarmException.invalidArgument("digest function %s is not supported; this server uses SHA256", f);
    }
  }
}
