package dev.kiln.brokerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped settings carry the farm docs/operations.md sizes for, and the check can fail. */
class FarmSizingTest {
  private final KafkaShape shipped = KafkaShape.load();
  private final Config hazelcast = HazelcastShape.memberConfig("kiln", "127.0.0.1", 0, List.of());

  @Test
  void theShippedSettingsCarryAThousandWorkersAndTenBuildsAtJ500() {
    FarmSizing target = FarmSizing.TARGET;
    assertThat(target.actionPartitions()).isEqualTo(8);
    assertThat(target.problems(shipped.withActionPartitions(target.actionPartitions()), hazelcast)).isEmpty();
  }

  @Test
  void aSmallFarmRunsOnTheShippedSinglePartition() {
    assertThat(new FarmSizing(2, 8, 2, 64).actionPartitions()).isEqualTo(shipped.actions().partitions());
    assertThat(new FarmSizing(2, 8, 2, 64).problems(shipped, hazelcast)).isEmpty();
  }

  @Test
  void aFarmPastTheSettingsIsNamed() {
    assertThat(new FarmSizing(1500, 32, 10, 500).problems(shipped.withActionPartitions(12), hazelcast))
        .anyMatch(p -> p.contains("group.share.max.size=1000"));
    assertThat(FarmSizing.TARGET.problems(shipped.withActionPartitions(1), hazelcast))
        .anyMatch(p -> p.contains("1 partitions x 2000 record locks < 5000"));
    assertThat(new FarmSizing(4, 8, 1, 8).problems(shipped.withActionPartitions(8), hazelcast))
        .anyMatch(p -> p.contains("would have no member"));
  }
}
