package dev.kiln.scheduler.exec;

import dev.kiln.proto.events.OperationEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The operations this front node's clients are waiting on, fed by the results topic. Each
 * watcher moves the event onto its own Vert.x context; this class only routes by name.
 */
public final class OperationWatchers implements Consumer<OperationEvent> {
  private final Map<String, Set<Consumer<OperationEvent>>> byName = new ConcurrentHashMap<>();

  /** Registers a watcher; the returned handle removes it. */
  public Runnable watch(String operationName, Consumer<OperationEvent> watcher) {
    byName.computeIfAbsent(operationName, k -> ConcurrentHashMap.newKeySet()).add(watcher);
    return () -> byName.computeIfPresent(operationName, (k, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  @Override
  public void accept(OperationEvent event) {
    Set<Consumer<OperationEvent>> watchers = byName.get(event.getOperationName());
    if (watchers != null) {
      watchers.forEach(w -> w.accept(event));
    }
  }

  /** Streams open on this node. */
  public int size() {
    return byName.values().stream().mapToInt(Set::size).sum();
  }
}
