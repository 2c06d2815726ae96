package dev.kiln.cas.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteLruTest {
  @Test
  void evictsOldestFirstUntilWithinBudgetButNeverTheNewcomer() {
    ByteLru lru = new ByteLru(100);
    assertThat(lru.add("a", 40)).isEmpty();
    assertThat(lru.add("b", 40)).isEmpty();
    assertThat(lru.touch("a")).isTrue();
    assertThat(lru.add("c", 30)).containsExactly("b");
    assertThat(lru.used()).isEqualTo(70);
    assertThat(lru.add("d", 100)).containsExactly("a", "c");
    assertThat(lru.used()).isEqualTo(100);
  }

  @Test
  void readdingAnEntryCountsItsNewSizeOnce() {
    ByteLru lru = new ByteLru(100);
    lru.add("a", 40);
    lru.add("a", 60);
    assertThat(lru.used()).isEqualTo(60);
    assertThat(lru.remove("a")).isTrue();
    assertThat(lru.remove("a")).isFalse();
    assertThat(lru.used()).isZero();
  }
}
