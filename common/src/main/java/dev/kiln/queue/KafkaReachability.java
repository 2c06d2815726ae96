package dev.kiln.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Whether the Kafka cluster answers: an Admin {@code describeCluster} bounded by {@code timeout},
 * run on a thread of its own (never the caller's, which may be an event loop), one at a time, and
 * reused for {@code maxAge} after it began, so readiness probes and health watchers cost the
 * broker at most one request per {@code maxAge}. The Admin client is created on first use and
 * again after a failed creation (an unresolvable host), so a broker that comes up later is seen.
 */
public final class KafkaReachability implements AutoCloseable {
  private final String bootstrap;
  private final String clientId;
  private final Duration timeout;
  private final long maxAgeNanos;
  private final ExecutorService thread;
  private Admin admin; // touched on {@code thread} only
  private CompletableFuture<List<String>> current;
  private long startedAt;

  public KafkaReachability(String bootstrap, String clientId) {
    this(bootstrap, clientId, Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  public KafkaReachability(String bootstrap, String clientId, Duration timeout, Duration maxAge) {
    this.bootstrap = bootstrap;
    this.clientId = clientId;
    this.timeout = timeout;
    this.maxAgeNanos = maxAge.toNanos();
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kiln-kafka-reachability-" + clientId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Empty when the broker answered, else one line: "broker unreachable at {bootstrap}: {reason}". */
  public synchronized CompletionStage<List<String>> problems() {
    long now = System.nanoTime();
    if (current == null || (current.isDone() && now - startedAt >= maxAgeNanos)) {
      startedAt = now;
      current = CompletableFuture.supplyAsync(this::check, thread);
    }
    return current.minimalCompletionStage();
  }

  private List<String> check() {
    try {
      if (admin == null) {
        admin = Admin.create(Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.CLIENT_ID_CONFIG, clientId,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
      }
      Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return nodes.isEmpty() ? problem("the cluster lists no broker") : List.of();
    } catch (ExecutionException e) {
      return problem(reason(e.getCause()));
    } catch (TimeoutException e) {
      return problem("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return problem("check interrupted");
    } catch (RuntimeException e) {
      return problem(reason(e));
    }
  }

  private List<String> problem(String reason) {
    return List.of("broker unreachable at " + bootstrap + ": " + reason);
  }

  private static String reason(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public synchronized void close() {
    if (thread.isShutdown()) {
      return;
    }
    thread.submit(() -> {
      if (admin != null) {
        admin.close(Duration.ofSeconds(1));
      }
    });
    thread.shutdown();
    try {
      thread.awaitTermination(timeout.toMillis() + 3000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
