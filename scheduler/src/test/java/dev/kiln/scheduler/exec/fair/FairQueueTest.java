package dev.kiln.scheduler.exec.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  private final FairQueue<String> queue = new FairQueue<>();
  private static final Tenant ANN_BIG = new Tenant("ann", "big");
  private static final Tenant ANN_SMALL = new Tenant("ann", "small");
  private static final Tenant BOB = new Tenant("bob", "b1");

  private String next(int cap) {
    return queue.next(cap).map(FairQueue.Dispatch::item).orElse(null);
  }

  @Test
  void aLaterSmallBuildOfAnotherUserGoesBeforeTheBigOnesBacklog() {
    for (int i = 0; i < 100; i++) {
      queue.add(ANN_BIG, 0, "ann-" + i);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(next(0)).isEqualTo("ann-" + i);
    }
    queue.add(BOB, 0, "bob-0");
    queue.add(BOB, 0, "bob-1");
    queue.done(ANN_BIG);
    assertThat(next(0)).isEqualTo("bob-0");
    queue.done(ANN_BIG);
    assertThat(next(0)).isEqualTo("bob-1");
    queue.done(ANN_BIG);
    assertThat(next(0)).isEqualTo("ann-4");
    assertThat(queue.inFlight()).isEqualTo(4);
    assertThat(queue.waiting()).isEqualTo(95);
  }

  @Test
  void aUsersBuildsShareThatUsersPart() {
    for (int i = 0; i < 10; i++) {
      queue.add(ANN_BIG, 0, "big-" + i);
    }
    next(0);
    next(0);
    queue.add(ANN_SMALL, 0, "small-0");
    assertThat(next(0)).isEqualTo("small-0");
  }

  @Test
  void priorityOrdersAUsersActionsLowerFirst() {
    queue.add(ANN_BIG, 0, "normal");
    queue.add(ANN_SMALL, 5, "later");
    queue.add(ANN_BIG, -3, "urgent");
    assertThat(next(0)).isEqualTo("urgent");
    assertThat(next(0)).isEqualTo("normal");
    assertThat(next(0)).isEqualTo("later");
  }

  @Test
  void theCapHoldsAUserBackButNotOthers() {
    for (int i = 0; i < 5; i++) {
      queue.add(ANN_BIG, 0, "ann-" + i);
    }
    assertThat(next(2)).isEqualTo("ann-0");
    assertThat(next(2)).isEqualTo("ann-1");
    assertThat(next(2)).isNull();
    queue.add(BOB, 0, "bob-0");
    assertThat(next(2)).isEqualTo("bob-0");
    queue.done(ANN_BIG);
    assertThat(next(2)).isEqualTo("ann-2");
  }

  @Test
  void finishingWhatWasNeverHandedOutIsABug() {
    assertThatThrownBy(() -> queue.done(BOB)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyItemIsHandedOutExactlyOnce() {
    Random random = new Random(42);
    List<Tenant> tenants = List.of(ANN_BIG, ANN_SMALL, BOB, new Tenant("cy", ""));
    Set<String> added = new HashSet<>();
    Set<String> handed = new HashSet<>();
    List<Tenant> running = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(3);
      if (op == 0) {
        String item = "item-" + step;
        added.add(item);
        queue.add(tenants.get(random.nextInt(tenants.size())), random.nextInt(3) - 1, item);
      } else if (op == 1) {
        queue.next(3).ifPresent(d -> {
          assertThat(handed.add(d.item())).isTrue();
          running.add(d.tenant());
        });
      } else if (!running.isEmpty()) {
        queue.done(running.remove(random.nextInt(running.size())));
      }
    }
    running.forEach(queue::done);
    for (var d = queue.next(0); d.isPresent(); d = queue.next(0)) {
      assertThat(handed.add(d.get().item())).isTrue();
    }
    assertThat(handed).isEqualTo(added);
    assertThat(queue.waiting()).isZero();
  }
}
