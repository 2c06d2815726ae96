package dev.kiln.scheduler;

import dev.kiln.ac.ActionCache;
import dev.kiln.ac.CompletenessCheckingActionCache;
import dev.kiln.ac.OpaqueActionCache;
import dev.kiln.cas.BlobStore;
import dev.kiln.queue.ActionQueue;
import dev.kiln.queue.OperationEventFeed;
import dev.kiln.scheduler.exec.ExecutionCoordinator;
import dev.kiln.scheduler.exec.fair.FairAdmission;
import dev.kiln.scheduler.exec.fair.SlotWindow;
import dev.kiln.scheduler.exec.OperationWatchers;
import dev.kiln.scheduler.grpc.ActionCacheEndpoint;
import dev.kiln.scheduler.grpc.ByteStreamEndpoint;
import dev.kiln.scheduler.grpc.CapabilitiesEndpoint;
import dev.kiln.scheduler.grpc.CasEndpoint;
import dev.kiln.scheduler.grpc.ExecutionEndpoint;
import dev.kiln.scheduler.grpc.GrpcBindings;
import dev.kiln.goma.GomaFileStore;
import dev.kiln.scheduler.auth.AccessGate;
import dev.kiln.scheduler.dashboard.EventStream;
import dev.kiln.scheduler.dashboard.FarmSnapshot;
import dev.kiln.scheduler.dashboard.StaticAssets;
import dev.kiln.scheduler.dashboard.ViewerGate;
import dev.kiln.scheduler.records.ActionRecords;
import dev.kiln.scheduler.records.ActionsHandler;
import dev.kiln.scheduler.records.FarmJournal;
import dev.kiln.scheduler.records.Requesters;
import dev.kiln.scheduler.auth.Authenticator;
import dev.kiln.scheduler.exec.OperationOutcome;
import dev.kiln.scheduler.goma.GomaCompile;
import dev.kiln.scheduler.goma.GomaEndpoint;
import dev.kiln.scheduler.goma.ToolchainCatalog;
import dev.kiln.scheduler.goma.GomaFileService;
import dev.kiln.scheduler.health.CachedReadiness;
import dev.kiln.scheduler.health.FarmReadiness;
import dev.kiln.scheduler.health.HealthEndpoint;
import dev.kiln.scheduler.health.Readiness;
import dev.kiln.scheduler.http.HealthHandler;
import dev.kiln.scheduler.http.LivenessHandler;
import dev.kiln.scheduler.http.ReadinessHandler;
import dev.kiln.scheduler.http.HttpCacheHandler;
import dev.kiln.scheduler.http.HttpRoutes;
import dev.kiln.scheduler.metrics.JvmMetrics;
import dev.kiln.scheduler.metrics.MeteredActionCache;
import dev.kiln.scheduler.metrics.MeteredOpaqueActionCache;
import dev.kiln.scheduler.metrics.MetricsHandler;
import dev.kiln.scheduler.metrics.RequestMetrics;
import dev.kiln.scheduler.metrics.WorkerGauges;
import dev.kiln.state.ExecutionDeduplicator;
import dev.kiln.state.ExecutionStateReader;
import dev.kiln.state.ExecutionStateWriter;
import dev.kiln.state.WorkerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.ArrayList;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front node's composition root: one Vert.x HTTP server on one port serving REAPI gRPC (h2c)
 * and plain HTTP (health, the Bazel HTTP cache, the Goma file service), every endpoint wired to the shared CAS, action cache, execution state and queue.
 * The server applies the connection limits of {@link FrontDoorLimits} (idle timeout, connections per client address).
 * {@code GET /metrics} serves its meter registry in Prometheus text: JVM binders, requests by protocol and status,
 * action-cache lookups by protocol (one {@link MeteredActionCache} per protocol), worker and slot gauges.
 */
public final class FrontNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrontNode.class);

  /** The cluster a front node talks to; {@code broker} says whether the queue's broker answers (for /readyz). */
  public record Cluster(BlobStore cas, ActionCache actionCache, OpaqueActionCache opaqueActionCache, GomaFileStore gomaFiles,
      ExecutionStateReader reader, ExecutionStateWriter writer, ExecutionDeduplicator dedup, WorkerRegistry registry,
      ActionQueue queue, OperationEventFeed results, Readiness broker) {
    /** A cluster whose queue has no broker to check (an in-process queue). */
    public Cluster(BlobStore cas, ActionCache actionCache, OpaqueActionCache opaqueActionCache, GomaFileStore gomaFiles,
        ExecutionStateReader reader, ExecutionStateWriter writer, ExecutionDeduplicator dedup, WorkerRegistry registry,
        ActionQueue queue, OperationEventFeed results) {
      this(cas, actionCache, opaqueActionCache, gomaFiles, reader, writer, dedup, registry, queue, results, Readiness.none());
    }
  }

  private final Vertx vertx;
  private final FrontNodeConfig config;
  private final Cluster cluster;
  private final Clock clock;
  private final OperationWatchers watchers = new OperationWatchers();
  private final HttpRoutes routes = new HttpRoutes();
  private final PrometheusMeterRegistry metrics;
  private final List<HttpServer> servers = new ArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS = new java.util.concurrent.atomic.AtomicInteger();
  private SlotWindow slotWindow;
  private JvmMetrics jvmMetrics;
  private ActionRecords.Limits recordLimits = ActionRecords.Limits.defaults();
  private EventStream events;

  private final Authenticator auth;

  /** A front node with a meter registry of its own. */
  public FrontNode(Vertx vertx, FrontNodeConfig config, Cluster cluster, Authenticator auth, Clock clock) {
    this(vertx, config, cluster, auth, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** A front node recording into {@code metrics}, which {@code GET /metrics} serves. */
  public FrontNode(Vertx vertx, FrontNodeConfig config, Cluster cluster, Authenticator auth, Clock clock,
      PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.config = config;
    this.cluster = cluster;
    this.auth = auth;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The registry {@code GET /metrics} serves. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Keeps {@code limits} action records (by count and age) instead of the defaults; call before {@link #start()}. */
  public FrontNode withActionRecords(ActionRecords.Limits limits) {
    this.recordLimits = limits;
    return this;
  }

  /** Extra plain-HTTP routes (Goma, HTTP cache) registered before {@link #start()}. */
  public HttpRoutes routes() {
    return routes;
  }

  public Future<Integer> start() {
    Blocking blocking = new Blocking(vertx);
    ActionCache checkedCache = new CompletenessCheckingActionCache(cluster.actionCache(), cluster.cas());
    jvmMetrics = new JvmMetrics(metrics);
    RequestMetrics requests = new RequestMetrics(metrics);
    Gauge.builder("kiln.operations.watched", watchers, OperationWatchers::size)
        .description("Execute/WaitExecution streams and Goma calls waiting on an operation on this node").strongReference(true).register(metrics);
    // One metered view of the checked cache per protocol: each lookup is counted once, under the protocol that asked.
    ActionCache reapiCache = new MeteredActionCache(checkedCache, metrics, "reapi");
    ActionCache gomaCache = new MeteredActionCache(checkedCache, metrics, "goma");
    ActionCache httpCacheAc = new MeteredActionCache(checkedCache, metrics, "http_cache");
    FrontDoorLimits limits = config.limits();
    // Action records: endpoints report cache answers and admissions, the results feed the ends (records/, dashboard/).
    Requesters requesters = new Requesters(auth);
    FarmJournal journal = new FarmJournal(new ActionRecords(clock, recordLimits), clock, config.maxTimeout().plusMinutes(5));
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(config.maxMessageBytes()));
    GrpcBindings bindings = new GrpcBindings(grpc, config.maxMessageBytes());
    new CapabilitiesEndpoint(config.maxBatchBytes(), config.maxBlobBytes()).bind(bindings);
    new CasEndpoint(cluster.cas(), blocking, config.maxBatchBytes(), limits.maxFindMissingDigests(), limits.maxBatchBlobs(),
        limits.maxTreePageSize()).bind(bindings);
    new ActionCacheEndpoint(reapiCache, requesters, journal).bind(bindings);
    new ByteStreamEndpoint(cluster.cas(), blocking, config.maxBlobBytes(), limits.uploadBudgetBytes(), clock).bind(bindings);
    ExecutionCoordinator.Settings admission = new ExecutionCoordinator.Settings(config.nodeId(), config.defaultTimeout(), config.maxTimeout());
    // One fair-share gate for every protocol: the farm's live slots are the window, the rest waits its turn.
    FairAdmission fair = new FairAdmission(limits.maxInFlightPerUser(), cluster.reader(), clock);
    slotWindow = new SlotWindow(vertx, cluster.registry(), fair);
    Gauge.builder("kiln.actions.waiting", fair, FairAdmission::waiting)
        .description("Validated actions waiting on this node for their fair share").strongReference(true).register(metrics);
    Gauge.builder("kiln.actions.admitted", fair, FairAdmission::inFlight)
        .description("This node's actions queued or running").strongReference(true).register(metrics);
    ExecutionCoordinator coordinator = new ExecutionCoordinator(cluster.cas(), reapiCache, cluster.dedup(), cluster.reader(),
        cluster.writer(), cluster.queue(), cluster.registry(), clock, admission, fair);
    // Goma looks the action up itself (counted as goma) before admitting it: its coordinator's second look is not counted.
    ExecutionCoordinator gomaCoordinator = new ExecutionCoordinator(cluster.cas(), checkedCache, cluster.dedup(), cluster.reader(),
        cluster.writer(), cluster.queue(), cluster.registry(), clock, admission, fair);
    new ExecutionEndpoint(vertx, coordinator, cluster.reader(), watchers, config.keepalive(), requesters, journal).bind(bindings);
    routes.exact("/healthz", new HealthHandler(cluster.registry()));
    Readiness readiness = new CachedReadiness(new FarmReadiness(cluster.broker(), cluster.registry(), java.time.Duration.ofSeconds(4)),
        java.time.Duration.ofSeconds(1));
    routes.exact("/livez", new LivenessHandler());
    routes.exact("/readyz", new ReadinessHandler(readiness));
    routes.exact("/metrics", new MetricsHandler(metrics, new WorkerGauges(cluster.registry(), metrics, clock, java.time.Duration.ofSeconds(2)),
        blocking));
    new HealthEndpoint(vertx, readiness, java.time.Duration.ofSeconds(2)).bind(bindings);
    GomaFileService gomaFiles = new GomaFileService(cluster.gomaFiles());
    AccessGate gate = new AccessGate(auth);
    routes.prefix(GomaEndpoint.PREFIX, new GomaEndpoint(gomaFiles, new GomaCompile(
        new ToolchainCatalog(cluster.registry(), clock, java.time.Duration.ofSeconds(2)), gomaFiles, cluster.cas(), gomaCache, blocking,
        gomaCoordinator, new OperationOutcome(vertx, cluster.reader(), watchers, config.keepalive()), config.gomaArbitraryToolchains(), journal),
        gate, limits.gomaExecBytes(), limits.gomaFileBytes(), requesters));
    HttpCacheHandler httpCache = new HttpCacheHandler(cluster.cas(), httpCacheAc,
        new MeteredOpaqueActionCache(cluster.opaqueActionCache(), metrics, "http_cache"), blocking, config.maxBlobBytes());
    routes.pattern(HttpCacheHandler.PATH, req -> {
      if (gate.admitHttpCache(req)) {
        httpCache.handle(req);
      }
    });

    // The farm dashboard (/, /events) and the action records (/actions), for whoever may read the cache.
    ViewerGate viewers = new ViewerGate(auth);
    StaticAssets assets = new StaticAssets();
    events = new EventStream(vertx, blocking, new FarmSnapshot(config.nodeId(), cluster.registry(), journal, clock, java.time.Duration.ofSeconds(2)),
        java.time.Duration.ofSeconds(1));
    ActionsHandler actions = new ActionsHandler(journal.records(), blocking);
    StaticAssets.PATHS.keySet().forEach(path -> routes.exact(path, viewers.guard(assets)));
    routes.exact("/events", viewers.guard(events)).exact("/actions", viewers.guard(actions));

    cluster.results().start(watchers.andThen(journal).andThen(fair));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setHttp2ClearTextEnabled(true).setTcpNoDelay(true)
        .setHttp2RstFloodMaxRstFramePerWindow(100_000)
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(10_000))
        .setHttp2ConnectionWindowSize(16 << 20)
        .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    Handler<HttpServerRequest> handler = req -> {
      requests.observe(req);
      String type = req.getHeader("content-type");
      if (type != null && type.startsWith("application/grpc")) {
        if (gate.admitGrpc(req)) {
          grpc.handle(req);
        }
      } else {
        routes.handle(req);
      }
    };
    ConnectionLimiter connections = new ConnectionLimiter(limits.maxConnectionsPerAddress());
    // One server per core, each on its own event loop, all on one port: Vert.x spreads the
    // connections over them (the handlers are shared and thread-safe).
    // Port 0 (any free port) is asked for as a negative port of this node's own: Vert.x gives every
    // server listening on the same negative port the same free port.
    HttpServerOptions shared = new HttpServerOptions(options).setPort(config.port() == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : config.port());
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < eventLoops(); i++) {
      HttpServer next = vertx.createHttpServer(shared).connectionHandler(connections).requestHandler(handler);
      servers.add(next);
      listening.add(next.listen());
    }
    return Future.all(listening).map(all -> servers.get(0).actualPort()).map(port -> {
      LOG.info("front node {} listening on {}:{} (gRPC and HTTP) on {} event loops", config.nodeId(), config.host(), port, servers.size());
      return port;
    });
  }

  /** Event loops serving requests: one per core. */
  static int eventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Servers listening (one per event loop), for tests. */
  int listeners() {
    return servers.size();
  }

  /** Stops accepting requests, then stops reading results. */
  public Future<Void> stop() {
    if (slotWindow != null) {
      slotWindow.close();
    }
    if (events != null) {
      events.close();
    }
    Future<Void> closed = Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty();
    return closed.onComplete(v -> {
      cluster.results().close();
      if (jvmMetrics != null) {
        jvmMetrics.close();
      }
    });
  }

  @Override
  public void close() {
    stop().toCompletionStage().toCompletableFuture().join();
  }
}
