package dev.kiln.launcher;

import dev.kiln.scheduler.FrontDoorLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What one client may make a front node hold (`kiln front` and `kiln up`); docs/security.md lists them all. */
final class FrontLimitOptions {
  @Option(names = "--idle-timeout-s", defaultValue = "600", description = "Close a connection idle this long, in seconds (default ${DEFAULT-VALUE}).")
  long idleTimeoutS;

  @Option(names = "--max-connections-per-client", defaultValue = "256", description = "Open connections from one client address (default ${DEFAULT-VALUE}).")
  int connectionsPerClient;

  @Option(names = "--goma-max-body-mb", defaultValue = "64", description = "Largest Goma /e request, raw or decompressed (default ${DEFAULT-VALUE}).")
  long gomaExecMb;

  @Option(names = "--upload-budget-mb", defaultValue = "1024", description = "Unfinished ByteStream uploads held in memory, all clients together (default ${DEFAULT-VALUE}).")
  long uploadBudgetMb;

  @Option(names = "--max-in-flight-per-user", defaultValue = "0",
      description = "Actions one user may have queued or running through a front node; more wait their turn, in order (default ${DEFAULT-VALUE}: no cap).")
  int maxInFlightPerUser;

  FrontDoorLimits limits() {
    FrontDoorLimits d = FrontDoorLimits.defaults();
    return d.withConnections(Duration.ofSeconds(idleTimeoutS), connectionsPerClient)
        .withGomaBodies(gomaExecMb << 20, d.gomaFileBytes()).withUploadBudgetBytes(uploadBudgetMb << 20)
        .withMaxInFlightPerUser(maxInFlightPerUser);
  }
}
