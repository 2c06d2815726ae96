package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid for Debian's docker-compose (no daemon needed for `config`), and
 * its Kafka settings follow broker-config, the source of truth for the broker's shape.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

  private static boolean onPath(String cmd) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, cmd))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void dockerComposeConfigAcceptsTheFile() throws Exception {
    // CI installs docker-compose (.ci/run); elsewhere the check needs it installed.
    assumeTrue(onPath("docker-compose") || "true".equals(System.getenv("CI")), "docker-compose is not installed");
    Process p = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "--services").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines()).contains("kafka", "topics", "cache-1", "cache-2", "front-a", "front-b", "worker");
  }

  @Test
  void kafkaServiceCarriesEveryBrokerSettingOfBrokerConfig() throws Exception {
    String compose = Files.readString(COMPOSE);
    Properties broker = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/kiln/broker.properties")) {
      broker.load(in);
    }
    assertThat(broker).isNotEmpty();
    for (String key : broker.stringPropertyNames()) {
      String env = "KAFKA_" + key.toUpperCase().replace('.', '_') + ": \"" + broker.getProperty(key).trim() + "\"";
      assertThat(compose).as("docker-compose.yml must set %s", env).contains(env);
    }
  }
}
