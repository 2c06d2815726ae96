package dev.kiln.ac;

import dev.kiln.common.Digest;
import dev.kiln.common.FarmException;
import java.util.regex.Pattern;

/**
 * An action cache key: the instance name (a namespace) and the action's SHA-256. The size is not
 * part of the key, so that the Bazel HTTP cache protocol ({@code /ac/{hash}}, no size) and REAPI
 * reach the same entries.
 */
public record ActionKey(String instance, String actionHash) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ActionKey {
    instance = instance == null ? "" : instance;
    if (actionHash == null || !SHA256_HEX.matcher(actionHash).matches()) {
      throw FarmException.invalidArgument("action hash '%s' is not 64 lowercase hex characters", actionHash);
    }
  }

  public ActionKey(String instance, Digest action) {
    this(instance, action.hash());
  }

  /** The map key form; NUL cannot appear in an instance name. */
  public String key() {
    return instance + '\u0000' + actionHash;
  }
}
