package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status label stays bounded whatever a grpc-status value holds. */
class RequestMetricsTest {
  @Test
  void grpcStatusesAreNamed() {
    assertThat(RequestMetrics.grpcName("0")).isEqualTo("OK");
    assertThat(RequestMetrics.grpcName("5")).isEqualTo("NOT_FOUND");
    assertThat(RequestMetrics.grpcName("14")).isEqualTo("UNAVAILABLE");
  }

  @Test
  void unknownOrMalformedCodesAreUnknown() {
    assertThat(RequestMetrics.grpcName("99")).isEqualTo("UNKNOWN");
    assertThat(RequestMetrics.grpcName("-1")).isEqualTo("UNKNOWN");
    assertThat(RequestMetrics.grpcName("abc")).isEqualTo("UNKNOWN");
    assertThat(RequestMetrics.grpcName("")).isEqualTo("UNKNOWN");
  }
}
