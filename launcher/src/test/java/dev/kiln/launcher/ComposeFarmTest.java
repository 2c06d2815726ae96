package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The whole compose farm, where a Docker daemon exists: both front nodes become healthy (a worker
 * registered) and answer on their published ports. Skipped cleanly without Docker; the same
 * topology is covered without Docker by {@link ScaleOutTest} (separate JVMs on loopback).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeFarmTest {
  @Container
  static final ComposeContainer FARM = new ComposeContainer(new File("../docker-compose.yml"))
      .withBuild(true)
      .withExposedService("front-a", 5050, Wait.forHttp("/healthz").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)))
      .withExposedService("front-b", 5050, Wait.forHttp("/healthz").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)));

  @Test
  void bothFrontNodesServeAHealthyFarm() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String front : new String[] {"front-a", "front-b"}) {
      URI uri = URI.create("http://" + FARM.getServiceHost(front, 5050) + ":" + FARM.getServicePort(front, 5050) + "/healthz");
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("ok");
    }
  }
}
