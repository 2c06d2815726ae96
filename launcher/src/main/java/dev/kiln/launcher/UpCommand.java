package dev.kiln.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiln up}: the whole farm in this process, until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run a complete farm in one process: Kafka broker (KRaft), Hazelcast, front node and workers.")
final class UpCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "5050", description = "Front node port for gRPC and HTTP (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--workers", description = "Number of workers (default: number of cores).")
  Integer workers;

  @Option(names = "--slots", defaultValue = "1", description = "Concurrent actions per worker (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--data-dir", defaultValue = "data", description = "Where Kafka's log, the cache's disk tier and the workers' caches live (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--cas-disk-gb", defaultValue = "20",
      description = "Disk budget in GiB for the cache's disk tier under <data-dir>/cache (kept across restarts); 0: memory only (default ${DEFAULT-VALUE}).")
  double casDiskGb;

  @Option(names = "--allow-unsandboxed", description = "Run actions without bubblewrap if it is missing (unsafe).")
  boolean allowUnsandboxed;

  @picocli.CommandLine.Mixin
  AuthOptions auth = new AuthOptions();

  @picocli.CommandLine.Mixin
  LimitOptions limits = new LimitOptions();

  @picocli.CommandLine.Mixin
  FrontLimitOptions frontLimits = new FrontLimitOptions();

  @Option(names = "--goma-arbitrary-toolchains", description = "Let Goma clients send their own compiler as inputs; it runs in the sandbox.")
  boolean gomaArbitraryToolchains;

  @Override
  public Integer call() throws Exception {
    Preflight.portFree(host, port, "--port");
    int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
    EmbeddedFarm farm = EmbeddedFarm.start(new EmbeddedFarm.Options(host, port, n, slots, dataDir.toAbsolutePath(),
        allowUnsandboxed, "kiln-" + port, Duration.ofSeconds(30), false, auth.authenticator(), gomaArbitraryToolchains)
        .withLimits(limits.limits(), limits.maxTimeout()).withFrontLimits(frontLimits.limits()).withCasDiskGb(casDiskGb));
    String endpoint = host + ":" + farm.port();
    return RoleProcess.runUntilStopped("""
        Kiln farm is up: %d worker(s) x %d slot(s), data in %s
          REAPI (gRPC):     grpc://%s
          HTTP cache:       http://%s/ (Bazel --remote_cache, ccache layout=bazel)
          Goma:             http://%s/cxx-compiler-service/
          health:           http://%s/healthz
          Kafka (KRaft):    %s
        Point Bazel at it:
          bazel build --remote_executor=grpc://%s --spawn_strategy=remote --noremote_local_fallback //...
        Press Ctrl-C to stop.""".formatted(n, slots, dataDir.toAbsolutePath(), endpoint, endpoint, endpoint, endpoint, farm.kafkaBootstrap(), endpoint),
        farm);
  }
}
