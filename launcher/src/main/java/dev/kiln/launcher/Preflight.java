package dev.kiln.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks a newcomer's usual mistakes before anything slow starts (a broker, a cache member,
 * workers), each as one line naming the cause and the fix.
 */
final class Preflight {
  private Preflight() {}

  /** A mistake the user can fix; {@link KilnCli} prints its message alone, without a stack trace. */
  static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }

  /** The port is free on {@code host}, or a UserError naming the flag to change. */
  static void portFree(String host, int port, String flag) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UserError("port " + port + " on " + host + " is already in use (another kiln, or another server): stop it, or choose "
          + flag + " N");
    }
  }
}
