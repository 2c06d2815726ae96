package dev.kiln.scheduler;

import dev.kiln.ac.InMemoryActionCache;
import dev.kiln.ac.InMemoryOpaqueActionCache;
import dev.kiln.cas.InMemoryBlobStore;
import dev.kiln.cas.VerifyingBlobStore;
import dev.kiln.goma.InMemoryGomaFileStore;
import dev.kiln.queue.InMemoryQueue;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.scheduler.health.Readiness;
import dev.kiln.state.InMemoryExecutionState;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * A real front node (real Vert.x server on a free port, every endpoint) over in-memory fakes of the
 * cluster, for tests that attack the front door with real clients and small limits.
 */
public final class TestFrontNode implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final VerifyingBlobStore cas;
  public final InMemoryActionCache actionCache = new InMemoryActionCache();
  public final InMemoryExecutionState state = new InMemoryExecutionState();
  public final InMemoryQueue queue = new InMemoryQueue();
  public final FrontNode node;
  public final int port;

  public TestFrontNode(FrontNodeConfig config) {
    this(config, Readiness.none());
  }

  /** A front node whose readiness asks {@code broker} whether the broker answers. */
  public TestFrontNode(FrontNodeConfig config, Readiness broker) {
    cas = new VerifyingBlobStore(new InMemoryBlobStore(), config.maxBlobBytes());
    node = new FrontNode(vertx, config, new FrontNode.Cluster(cas, actionCache, new InMemoryOpaqueActionCache(), new InMemoryGomaFileStore(),
        state, state, state, state, queue, queue.newFeed(), broker), Authenticator.open(), Clock.systemUTC());
    port = node.start().toCompletionStage().toCompletableFuture().join();
  }

  public static FrontNodeConfig config() {
    return FrontNodeConfig.defaults("front-test", "127.0.0.1", 0);
  }

  @Override
  public void close() {
    node.close();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
