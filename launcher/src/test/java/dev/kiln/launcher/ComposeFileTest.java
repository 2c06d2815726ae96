package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid for Debian's docker-compose (no daemon needed for `config`), alone and
 * with the official-Kafka switch (docker/kafka-official.yml), whose Kafka settings follow
 * broker-config, the source of truth for the broker's shape; the image is built by one service.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
  private static final Path OFFICIAL_KAFKA = Path.of("..", "docker", "kafka-official.yml");

  @Test
  void dockerComposeConfigAcceptsTheFile() throws Exception {
    // CI installs docker-compose (.ci/run); elsewhere the check needs it installed.
    assumeTrue(ComposeCli.onPath("docker-compose") || "true".equals(System.getenv("CI")), "docker-compose is not installed");
    assertThat(services("-f", COMPOSE.toString())).contains("image", "kafka", "topics", "cache-1", "cache-2", "front-a", "front-b", "worker");
    assertThat(services("-f", COMPOSE.toString(), "-f", OFFICIAL_KAFKA.toString())).contains("kafka", "worker");
  }

  private static List<String> services(String... files) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker-compose"));
    cmd.addAll(List.of(files));
    cmd.addAll(List.of("config", "--services"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void oneServiceBuildsTheImageTheOthersRun() throws Exception {
    String compose = Files.readString(COMPOSE);
    assertThat(compose.split("\\n\\s+build:", -1)).as("exactly one service has a build section").hasSize(2);
    assertThat(compose).doesNotContain("apache/kafka");
  }

  @Test
  void officialKafkaSwitchCarriesEveryBrokerSettingOfBrokerConfig() throws Exception {
    String compose = Files.readString(OFFICIAL_KAFKA);
    Properties broker = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/kiln/broker.properties")) {
      broker.load(in);
    }
    assertThat(broker).isNotEmpty();
    for (String key : broker.stringPropertyNames()) {
      String env = "KAFKA_" + key.toUpperCase().replace('.', '_') + ": \"" + broker.getProperty(key).trim() + "\"";
      assertThat(compose).as("docker/kafka-official.yml must set %s", env).contains(env);
    }
  }
}
