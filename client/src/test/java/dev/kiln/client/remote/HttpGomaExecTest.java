package dev.kiln.client.remote;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.proto.goma.ExecReq;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpGomaExecTest {
  @Test
  void aFarmThatDoesNotAnswerInTimeIsAnIoErrorNotAHang() throws Exception {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    silent.createContext("/", exchange -> {
      try {
        done.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    silent.start();
    try {
      HttpGomaExec exec = new HttpGomaExec(URI.create("http://127.0.0.1:" + silent.getAddress().getPort()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofMillis(500));
      ExecReq req = ExecReq.newBuilder().buildPartial();
      assertThatThrownBy(() -> exec.exec(req, req)).isInstanceOf(IOException.class);
    } finally {
      done.countDown();
      silent.stop(0);
    }
  }

  @Test
  void aFarmAnsweringAnErrorStatusIsAnIoError() throws Exception {
    HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    broken.createContext("/", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    broken.start();
    try {
      HttpGomaExec exec = new HttpGomaExec(URI.create("http://127.0.0.1:" + broken.getAddress().getPort()),
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(10));
      ExecReq req = ExecReq.newBuilder().buildPartial();
      assertThatThrownBy(() -> exec.exec(req, req)).isInstanceOf(IOException.class).hasMessageContaining("503");
    } finally {
      broken.stop(0);
    }
  }
}
