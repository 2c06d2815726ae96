package dev.kiln.client.remote;

/**
 * This invocation runs locally: either it is not a remote compile at all (linking, -E, several
 * inputs: {@code fallback} false, nothing went wrong), or the farm could not do it ({@code fallback}
 * true: counted, logged and shown, never silent).
 */
public final class NotRemotable extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean fallback;

  public NotRemotable(String why, boolean fallback) {
    super(why);
    this.fallback = fallback;
  }

  public boolean fallback() {
    return fallback;
  }
}
