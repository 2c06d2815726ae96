package dev.kiln.client.remote;

/** This invocation is not a remote compile (linking, -E, several inputs...): run it locally. */
public final class NotRemotable extends Exception {
  private static final long serialVersionUID = 1L;

  public NotRemotable(String why) {
    super(why);
  }
}
