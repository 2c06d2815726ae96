package dev.kiln.scheduler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.scheduler.FrontDoorLimits;
import dev.kiln.scheduler.TestFrontNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle connections are closed, and one client address cannot hold more than its share of connections. */
class ConnectionLimitsTest {
  private static final byte[] HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static Socket connect(String from, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port));
    s.setSoTimeout(30_000);
    return s;
  }

  /** Sends a request and reads its whole answer; its status line, or null if the server closed the connection. */
  private static String request(Socket s) throws IOException {
    try {
      s.getOutputStream().write(HEALTHZ);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String status = line(in);
      if (status == null || status.isEmpty()) {
        return null;
      }
      int length = 0;
      for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
        if (h.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(h.substring("content-length:".length()).trim());
        }
      }
      in.readNBytes(length);
      return status;
    } catch (java.net.SocketException reset) {
      return null;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        return line.isEmpty() ? null : line.toString();
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** True once the server has closed {@code s} (end of stream or reset), reading whatever was left. */
  private static boolean closedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain the rest of an answer
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config()
        .withLimits(FrontDoorLimits.defaults().withConnections(Duration.ofMillis(300), 256)));
        Socket silent = connect("127.0.0.1", front.port);
        Socket used = connect("127.0.0.1", front.port)) {
      assertThat(request(used)).startsWith("HTTP/1.1 503");
      assertThat(closedByServer(used)).as("keep-alive connection left idle").isTrue();
      assertThat(closedByServer(silent)).as("connection that never sent a byte").isTrue();
      try (Socket fresh = connect("127.0.0.1", front.port)) {
        assertThat(request(fresh)).startsWith("HTTP/1.1 503");
      }
    }
  }

  @Test
  void connectionsOverTheBoundPerAddressAreClosedAtOnce() throws Exception {
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config()
        .withLimits(FrontDoorLimits.defaults().withConnections(Duration.ofMinutes(10), 4)))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = connect("127.0.0.1", front.port);
          held.add(s);
          assertThat(request(s)).as("connection %d", i).startsWith("HTTP/1.1 503");
        }
        try (Socket fifth = connect("127.0.0.1", front.port)) {
          String answer = request(fifth);
          assertThat(answer).as("fifth connection's answer").isNull();
          assertThat(closedByServer(fifth)).isTrue();
        }
        try (Socket otherClient = connect("127.0.0.2", front.port)) {
          assertThat(request(otherClient)).as("another address is not affected").startsWith("HTTP/1.1 503");
        }
        assertThat(request(held.get(0))).as("the held connections still work").startsWith("HTTP/1.1 503");
        held.remove(0).close();
        String again = null;
        while (again == null) {
          try (Socket s = connect("127.0.0.1", front.port)) {
            again = request(s);
          }
        }
        assertThat(again).as("a closed connection frees its place").startsWith("HTTP/1.1 503");
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
