package dev.kiln.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles over latency samples in nanoseconds, reported in milliseconds. */
final class Stats {
  private final List<Long> samples = new ArrayList<>();

  void add(long nanos) {
    samples.add(nanos);
  }

  void merge(Stats other) {
    samples.addAll(other.samples);
  }

  int count() {
    return samples.size();
  }

  double p(double q) {
    List<Long> s = new ArrayList<>(samples);
    Collections.sort(s);
    int i = (int) Math.min(s.size() - 1, Math.max(0, Math.ceil(q * s.size()) - 1));
    return s.get(i) / 1e6;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
