package dev.kiln.scheduler;

import java.time.Duration;

/**
 * A front node's settings. Defaults fit Bazel and the other REAPI clients: 4 MiB batches, a gRPC
 * message limit well above that, 30 s keepalive updates on Execute streams; Goma arbitrary
 * toolchains off; {@link FrontDoorLimits#defaults()}. {@code maxBlobBytes} also bounds an HTTP
 * cache PUT body, and {@code maxMessageBytes} a gRPC message after gzip decompression.
 */
public record FrontNodeConfig(
    String nodeId,
    String host,
    int port,
    long maxBatchBytes,
    long maxMessageBytes,
    long maxBlobBytes,
    Duration keepalive,
    Duration defaultTimeout,
    Duration maxTimeout,
    boolean gomaArbitraryToolchains,
    FrontDoorLimits limits) {

  /** The largest blob the CAS accepts, unless configured otherwise. */
  public static final long DEFAULT_MAX_BLOB_BYTES = dev.kiln.cas.VerifyingBlobStore.DEFAULT_MAX_BLOB_BYTES;

  public static FrontNodeConfig defaults(String nodeId, String host, int port) {
    return new FrontNodeConfig(nodeId, host, port, 4L << 20, 32L << 20, DEFAULT_MAX_BLOB_BYTES, Duration.ofSeconds(30),
        Duration.ofMinutes(15), Duration.ofHours(1), false, FrontDoorLimits.defaults());
  }

  public FrontNodeConfig withKeepalive(Duration d) {
    return new FrontNodeConfig(nodeId, host, port, maxBatchBytes, maxMessageBytes, maxBlobBytes, d, defaultTimeout, maxTimeout, gomaArbitraryToolchains, limits);
  }

  public FrontNodeConfig withPort(int p) {
    return new FrontNodeConfig(nodeId, host, p, maxBatchBytes, maxMessageBytes, maxBlobBytes, keepalive, defaultTimeout, maxTimeout, gomaArbitraryToolchains, limits);
  }

  /** Goma clients may send their own compiler as inputs (GOMA_ARBITRARY_TOOLCHAIN_SUPPORT); it runs sandboxed. */
  public FrontNodeConfig withGomaArbitraryToolchains(boolean allowed) {
    return new FrontNodeConfig(nodeId, host, port, maxBatchBytes, maxMessageBytes, maxBlobBytes, keepalive, defaultTimeout, maxTimeout, allowed, limits);
  }

  public FrontNodeConfig withLimits(FrontDoorLimits l) {
    return new FrontNodeConfig(nodeId, host, port, maxBatchBytes, maxMessageBytes, maxBlobBytes, keepalive, defaultTimeout, maxTimeout, gomaArbitraryToolchains, l);
  }

  /** The largest blob (CAS, ByteStream, HTTP cache body) and the largest gRPC message, decompressed. */
  public FrontNodeConfig withSizes(long maxBlob, long maxMessage) {
    return new FrontNodeConfig(nodeId, host, port, maxBatchBytes, maxMessage, maxBlob, keepalive, defaultTimeout, maxTimeout, gomaArbitraryToolchains, limits);
  }
}
