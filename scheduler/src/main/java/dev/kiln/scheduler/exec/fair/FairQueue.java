package dev.kiln.scheduler.exec.fair;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Hierarchical fair share, as a plain data structure (not thread-safe): the next action goes to
 * the user with the fewest actions in flight (among users under {@code perUserCap}), then, within
 * that user, to the build whose next action has the best REAPI priority (lower runs sooner), ties
 * going to the build with the fewest in flight; within a build, priority then arrival order. So a
 * -j500 build does not starve a -j8 one started after it, and a user's second build shares with
 * the first. Nothing is ever dropped: an item waits until {@link #next} hands it out.
 */
public final class FairQueue<T> {
  /** An item handed out, with the shares it counts against until {@link #done}. */
  public record Dispatch<T>(Tenant tenant, T item) {}

  private record Entry<T>(int priority, long seq, T item) {}

  private static final Comparator<Entry<?>> ORDER = Comparator.<Entry<?>>comparingInt(Entry::priority).thenComparingLong(Entry::seq);

  private static final class Build<T> {
    final PriorityQueue<Entry<T>> waiting = new PriorityQueue<>(ORDER);
    int inFlight;
  }

  private static final class User<T> {
    final Map<String, Build<T>> builds = new HashMap<>();
    int inFlight;
    int waiting;
  }

  private final Map<String, User<T>> users = new HashMap<>();
  private long seq;
  private int waiting;
  private int inFlight;

  public void add(Tenant tenant, int priority, T item) {
    User<T> user = users.computeIfAbsent(tenant.user(), u -> new User<>());
    user.builds.computeIfAbsent(tenant.build(), b -> new Build<>()).waiting.add(new Entry<>(priority, seq++, item));
    user.waiting++;
    waiting++;
  }

  /** The next item to run, if some user under {@code perUserCap} (0: no cap) has one waiting. */
  public Optional<Dispatch<T>> next(int perUserCap) {
    String bestUser = null;
    User<T> best = null;
    for (Map.Entry<String, User<T>> e : users.entrySet()) {
      User<T> u = e.getValue();
      if (u.waiting > 0 && (perUserCap <= 0 || u.inFlight < perUserCap) && (best == null || u.inFlight < best.inFlight)) {
        bestUser = e.getKey();
        best = u;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    String bestBuild = null;
    Build<T> chosen = null;
    for (Map.Entry<String, Build<T>> e : best.builds.entrySet()) {
      Build<T> b = e.getValue();
      if (!b.waiting.isEmpty() && (chosen == null || before(b, chosen))) {
        bestBuild = e.getKey();
        chosen = b;
      }
    }
    Entry<T> entry = chosen.waiting.poll();
    chosen.inFlight++;
    best.inFlight++;
    best.waiting--;
    waiting--;
    inFlight++;
    return Optional.of(new Dispatch<>(new Tenant(bestUser, bestBuild), entry.item()));
  }

  private static <T> boolean before(Build<T> a, Build<T> b) {
    Entry<T> x = a.waiting.peek();
    Entry<T> y = b.waiting.peek();
    if (x.priority() != y.priority()) {
      return x.priority() < y.priority();
    }
    if (a.inFlight != b.inFlight) {
      return a.inFlight < b.inFlight;
    }
    return x.seq() < y.seq();
  }

  /** An item handed out by {@link #next} is finished (or never became an action): its share is free again. */
  public void done(Tenant tenant) {
    User<T> user = users.get(tenant.user());
    Build<T> build = user == null ? null : user.builds.get(tenant.build());
    if (build == null || build.inFlight == 0) {
      throw new IllegalStateException("nothing in flight for " + tenant);
    }
    build.inFlight--;
    user.inFlight--;
    inFlight--;
    if (build.inFlight == 0 && build.waiting.isEmpty()) {
      user.builds.remove(tenant.build());
    }
    if (user.builds.isEmpty()) {
      users.remove(tenant.user());
    }
  }

  public int waiting() {
    return waiting;
  }

  public int inFlight() {
    return inFlight;
  }
}
