package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front node serves from one server per core, all on one port, and stops them all. */
class FrontNodeEventLoopsTest {
  @Test
  void oneServerPerCoreAnswersOnTheSamePortAndAllStop() throws Exception {
    int port;
    try (TestFrontNode front = new TestFrontNode(TestFrontNode.config())) {
      port = front.port;
      assertThat(front.node.listeners()).isEqualTo(Runtime.getRuntime().availableProcessors());
      List<HttpClient> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        clients.add(c);
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
    }
    try (java.net.Socket s = new java.net.Socket()) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000)))
          .isInstanceOf(java.net.ConnectException.class);
    }
  }
}
