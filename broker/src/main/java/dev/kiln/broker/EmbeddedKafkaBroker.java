package dev.kiln.broker;

import dev.kiln.brokerconfig.KafkaShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller roles) running inside this
 * JVM. Used by {@code bin/kiln up}, {@code bin/kiln broker} and the tests. The log directory is
 * formatted once; restarting on the same directory keeps every topic and record.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final String bindHost;
  private final String host;
  private KafkaRaftServer server;

  private EmbeddedKafkaBroker(Path dataDir, String bindHost, String host, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.bindHost = bindHost;
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker on {@code host:port} (0 picks a free port) storing its log in {@code dataDir}. */
  public static EmbeddedKafkaBroker start(Path dataDir, String host, int port) {
    return start(dataDir, host, host, port);
  }

  /**
   * Listens on {@code bindHost} (0.0.0.0: every interface, as in a container) and tells clients to
   * connect to {@code advertisedHost} (a name they resolve, e.g. the compose service's).
   */
  public static EmbeddedKafkaBroker start(Path dataDir, String bindHost, String advertisedHost, int port) {
    int brokerPort = port == 0 ? freePort() : port;
    int ctlPort = readOrPickControllerPort(dataDir);
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, bindHost, advertisedHost, brokerPort, ctlPort);
    broker.startServer();
    return broker;
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  public int port() {
    return port;
  }

  private void startServer() {
    Path logDir = dataDir.resolve("kraft-log");
    Properties props = new Properties();
    KafkaShape.load().brokerSettings().forEach(props::setProperty);
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    props.setProperty("listeners", "PLAINTEXT://" + bindHost + ":" + port + ",CONTROLLER://" + bindHost + ":" + controllerPort);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("controller.listener.names", "CONTROLLER");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());
    long start = System.nanoTime();
    try {
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        Files.createDirectories(logDir);
        new Formatter()
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(logDir.toString())
            .addDirectory(logDir.toString())
            .run();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Failed to format Kafka log dir " + logDir + ": " + e, e);
    }
    server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    awaitReady();
    LOG.info("Kafka broker (KRaft) ready on {} in {} ms", bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
  }

  private void awaitReady() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker did not become ready: " + e, e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }
  }

  private static int readOrPickControllerPort(Path dataDir) {
    Path file = dataDir.resolve("controller.port");
    try {
      Files.createDirectories(dataDir);
      if (Files.exists(file)) {
        return Integer.parseInt(Files.readString(file).trim());
      }
      int p = freePort();
      Files.writeString(file, Integer.toString(p));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A currently free TCP port on loopback. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
