package dev.kiln.cas.disk;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Least-recently-used bookkeeping by bytes: names with their sizes, oldest first. Adding past the
 * budget answers the names to evict (oldest first, never the one just added). Not thread-safe:
 * the owner holds its lock around each call (it deletes the victims' files under the same lock).
 */
public final class ByteLru {
  private final long budget;
  private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long used;

  public ByteLru(long budgetBytes) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("byte budget must be positive, not " + budgetBytes);
    }
    this.budget = budgetBytes;
  }

  public long budget() {
    return budget;
  }

  public long used() {
    return used;
  }

  public int count() {
    return entries.size();
  }

  public boolean fits(long bytes) {
    return bytes <= budget;
  }

  /** Records {@code name} as the most recently used; answers the names evicted to stay in budget. */
  public List<String> add(String name, long bytes) {
    Long old = entries.put(name, bytes);
    used += bytes - (old == null ? 0 : old);
    List<String> victims = new ArrayList<>();
    Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator();
    while (used > budget && it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (e.getKey().equals(name)) {
        continue;
      }
      used -= e.getValue();
      victims.add(e.getKey());
      it.remove();
    }
    return victims;
  }

  /** Marks {@code name} as just used; false when it is not recorded. */
  public boolean touch(String name) {
    return entries.get(name) != null;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Forgets {@code name}; false when it was not recorded. */
  public boolean remove(String name) {
    Long old = entries.remove(name);
    if (old == null) {
      return false;
    }
    used -= old;
    return true;
  }
}
