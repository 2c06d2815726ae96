package dev.kiln.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.brokerconfig.TopicInitializer;
import dev.kiln.common.Digest;
import dev.kiln.common.Futures;
import dev.kiln.proto.events.QueuedAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import dev.kiln.proto.events.OperationEvent;
import dev.kiln.testing.TestKafka;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka queue against a real in-process KRaft broker, share group included. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaQueueTest extends ActionQueueContract {
  private static TestKafka kafka;
  private static KafkaActionQueue queue;

  @BeforeAll
  static void start() {
    kafka = TestKafka.start();
    queue = new KafkaActionQueue(kafka.bootstrap(), kafka.shape(), "test-front");
  }

  @AfterAll
  static void stop() {
    queue.close();
    kafka.close();
  }

  @Override
  protected ActionQueue queue() {
    return queue;
  }

  @Override
  protected ActionSource newSource() {
    return new KafkaShareActionSource(kafka.bootstrap(), kafka.shape(), "test-worker");
  }

  @Test
  void theInitializerGrowsTheActionsTopicAndOneMemberLeasesFromEveryPartition() throws Exception {
    TopicInitializer.ensure(kafka.bootstrap(), kafka.shape().withActionPartitions(3), 60_000);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      String topic = kafka.shape().actions().name();
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
    }
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      QueuedAction a = QueuedAction.newBuilder().setOperationName("operations/grown-" + i)
          .setActionDigest(Digest.of(("grown-" + i).getBytes(StandardCharsets.UTF_8)).toProto()).build();
      sent.add(a.getOperationName());
      Futures.await(queue.enqueue(a));
    }
    Set<String> leased = new HashSet<>();
    try (ActionSource source = newSource()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!leased.containsAll(sent) && System.nanoTime() < deadline) {
        source.next(Duration.ofMillis(500)).ifPresent(lease -> {
          leased.add(lease.action().getOperationName());
          lease.complete();
        });
      }
    }
    assertThat(leased).containsAll(sent);
  }

  @Test
  void resultEventsReachEveryFeed() throws Exception {
    CopyOnWriteArrayList<String> seenA = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<String> seenB = new CopyOnWriteArrayList<>();
    try (OperationEventFeed a = KafkaOperationEvents.feed(kafka.bootstrap(), kafka.shape(), "front-a");
         OperationEventFeed b = KafkaOperationEvents.feed(kafka.bootstrap(), kafka.shape(), "front-b");
         OperationEventSink sink = KafkaOperationEvents.sink(kafka.bootstrap(), kafka.shape(), "worker")) {
      a.start(e -> seenA.add(e.getOperationName()));
      b.start(e -> seenB.add(e.getOperationName()));
      Futures.await(sink.publish(OperationEvent.newBuilder().setOperationName("operations/x").build()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((seenA.isEmpty() || seenB.isEmpty()) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seenA).containsExactly("operations/x");
      assertThat(seenB).containsExactly("operations/x");
    }
  }
}
