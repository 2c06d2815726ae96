package dev.kiln.ac;

import dev.kiln.common.Digest;

/** An action cache key: the instance name (a namespace) and the action digest. */
public record ActionKey(String instance, Digest action) {
  public ActionKey {
    if (instance == null) {
      instance = "";
    }
  }

  /** The map key form; NUL cannot appear in an instance name. */
  public String key() {
    return instance + '\u0000' + action.key();
  }
}
