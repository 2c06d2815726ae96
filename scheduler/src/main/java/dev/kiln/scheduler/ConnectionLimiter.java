package dev.kiln.scheduler;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the open connections of one client address, so that one client cannot hold every socket
 * of the front node (slow or idle connections opened in bulk). A connection past the bound is
 * closed as soon as it is accepted. Behind a proxy every client shares the proxy's address: raise
 * the bound there. Connection handlers run on several event loops, hence the concurrent counts.
 */
public final class ConnectionLimiter implements Handler<HttpConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

  private final int maxPerAddress;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public ConnectionLimiter(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  @Override
  public void handle(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    String host = remote == null ? "" : String.valueOf(remote.hostAddress());
    int now = open.merge(host, 1, Integer::sum);
    conn.closeHandler(v -> open.computeIfPresent(host, (h, c) -> c <= 1 ? null : c - 1));
    if (now > maxPerAddress) {
      LOG.warn("closing a connection from {}: over {} open connections from one address", host, maxPerAddress);
      conn.close();
    }
  }

  /** Open connections from {@code host} (tests). */
  int open(String host) {
    return open.getOrDefault(host, 0);
  }
}
