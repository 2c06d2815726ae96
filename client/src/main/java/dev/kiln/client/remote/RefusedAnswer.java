package dev.kiln.client.remote;

import java.io.IOException;

/**
 * The farm answered, but kiln-cc will not use the answer: it names an output the compile did not
 * declare (an absolute path, one climbing out with {@code ..}, any other name), writes through a
 * symlinked directory of the build tree, or claims success without every declared output. Nothing
 * was written. The proxy counts it as a failed compile with this reason, never as a success.
 */
public final class RefusedAnswer extends IOException {
  private static final long serialVersionUID = 1L;

  public RefusedAnswer(String why) {
    super("refused the farm's answer: " + why);
  }
}
