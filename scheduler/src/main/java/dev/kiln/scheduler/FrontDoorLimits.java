package dev.kiln.scheduler;

import java.time.Duration;

/**
 * What one client may make the front node hold or do, so a hostile or broken client gets a precise
 * refusal instead of the node's memory or sockets. Defaults leave Bazel, Goma and ccache untouched:
 * the idle timeout is minutes because Bazel keeps one gRPC channel for a whole build and sends no
 * pings (an Execute stream carries a keepalive update every 30 s, so it is never idle), and a client
 * reconnects transparently when an idle connection was closed.
 *
 * @param gomaExecBytes largest Goma /e body, raw or decompressed
 * @param gomaFileBytes largest body of the other Goma RPCs (/s, /l), raw or decompressed
 * @param maxFindMissingDigests digests in one FindMissingBlobs
 * @param maxBatchBlobs blobs in one BatchReadBlobs or BatchUpdateBlobs (their bytes: max_batch_total_size_bytes)
 * @param maxTreePageSize directories in one GetTree page (a larger page_size is lowered to it, as REAPI allows)
 * @param uploadBudgetBytes bytes of unfinished ByteStream writes held in memory, over all clients
 * @param idleTimeout a connection with no byte read or written for this long is closed
 * @param maxConnectionsPerAddress open connections from one client address; more are closed at once
 * @param maxInFlightPerUser actions one user may have queued or running through this node; more wait their turn (0: no cap)
 */
public record FrontDoorLimits(long gomaExecBytes, long gomaFileBytes, int maxFindMissingDigests, int maxBatchBlobs,
    int maxTreePageSize, long uploadBudgetBytes, Duration idleTimeout, int maxConnectionsPerAddress, int maxInFlightPerUser) {

  public static FrontDoorLimits defaults() {
    return new FrontDoorLimits(64L << 20, 12L << 20, 200_000, 50_000, 10_000, 1L << 30, Duration.ofMinutes(10), 256, 0);
  }

  public FrontDoorLimits withMaxInFlightPerUser(int actions) {
    return new FrontDoorLimits(gomaExecBytes, gomaFileBytes, maxFindMissingDigests, maxBatchBlobs, maxTreePageSize, uploadBudgetBytes,
        idleTimeout, maxConnectionsPerAddress, actions);
  }

  public FrontDoorLimits withGomaBodies(long execBytes, long fileBytes) {
    return new FrontDoorLimits(execBytes, fileBytes, maxFindMissingDigests, maxBatchBlobs, maxTreePageSize, uploadBudgetBytes,
        idleTimeout, maxConnectionsPerAddress, maxInFlightPerUser);
  }

  public FrontDoorLimits withRequestCounts(int findMissingDigests, int batchBlobs, int treePageSize) {
    return new FrontDoorLimits(gomaExecBytes, gomaFileBytes, findMissingDigests, batchBlobs, treePageSize, uploadBudgetBytes,
        idleTimeout, maxConnectionsPerAddress, maxInFlightPerUser);
  }

  public FrontDoorLimits withUploadBudgetBytes(long bytes) {
    return new FrontDoorLimits(gomaExecBytes, gomaFileBytes, maxFindMissingDigests, maxBatchBlobs, maxTreePageSize, bytes,
        idleTimeout, maxConnectionsPerAddress, maxInFlightPerUser);
  }

  public FrontDoorLimits withConnections(Duration idle, int perAddress) {
    return new FrontDoorLimits(gomaExecBytes, gomaFileBytes, maxFindMissingDigests, maxBatchBlobs, maxTreePageSize, uploadBudgetBytes,
        idle, perAddress, maxInFlightPerUser);
  }
}
