package org.lemurnn.metrics;

import java.util.Arrays;
import org.lemurnn.sample.LinkSample;

/**
 * Latency distributions of delivered packets: their quantiles and the distance between two of them.
 * Written by hand because both are a few lines each, and the definitions must be exact and stated:
 * libraries differ in how they interpolate quantiles.
 */
public final class Latencies {
  private Latencies() {}

  /**
   * The latencies of the packets a sample delivered, plus {@code baseLatency}, sorted ascending, in
   * the sample's time unit.
   */
  public static double[] delivered(LinkSample sample, double baseLatency) {
    double[] out = inArrivalOrder(sample);
    for (int i = 0; i < out.length; i++) out[i] += baseLatency;
    Arrays.sort(out);
    return out;
  }

  /** The latencies of the packets a sample delivered, in arrival order. */
  public static double[] inArrivalOrder(LinkSample sample) {
    double[] out = new double[sample.length() - sample.dropCount()];
    int k = 0;
    for (int i = 0; i < sample.length(); i++)
      if (!sample.dropped()[i]) out[k++] = sample.latency()[i];
    return out;
  }

  /**
   * The nearest-rank quantile of sorted values: the smallest value with at least a fraction
   * {@code q} of the values at or below it, {@code sorted[ceil(q n) - 1]} (the minimum for q = 0).
   * Always one of the values, never interpolated; NaN when there are none. For 1, 2, ..., 10: p50 =
   * 5, p90 = 9, p99 = p99.9 = 10.
   */
  public static double quantile(double[] sorted, double q) {
    if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
    if (sorted.length == 0) return Double.NaN;
    // q n is computed in binary: 0.9 x 10 must count as 9, not 9.000000000000002
    long rank = (long) Math.ceil(q * sorted.length - 1e-9);
    return sorted[(int) Math.clamp(rank - 1, 0, sorted.length - 1)];
  }

  /** The mean of the values; NaN when there are none. */
  public static double mean(double[] values) {
    if (values.length == 0) return Double.NaN;
    double sum = 0;
    for (double v : values) sum += v;
    return sum / values.length;
  }

  /**
   * The Wasserstein-1 (earth mover's) distance between the empirical distributions of two sorted
   * samples of any sizes: the integral over x of |F_a(x) - F_b(x)|, exact (both step functions are
   * constant between consecutive values of the merged samples). In the values' unit; NaN when
   * either is empty.
   */
  public static double w1(double[] sortedA, double[] sortedB) {
    int n = sortedA.length, m = sortedB.length;
    if (n == 0 || m == 0) return Double.NaN;
    double distance = 0;
    double previous = Math.min(sortedA[0], sortedB[0]);
    int i = 0, j = 0;
    while (i < n || j < m) {
      boolean fromA = j == m || (i < n && sortedA[i] <= sortedB[j]);
      double x = fromA ? sortedA[i] : sortedB[j];
      distance += Math.abs((double) i / n - (double) j / m) * (x - previous);
      previous = x;
      if (fromA) i++;
      else j++;
    }
    return distance;
  }
}
