package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  private static double[] sorted(double... v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  @Test
  void nearestRankQuantilesOfOneToTen() {
    double[] v = sorted(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(Latencies.quantile(v, 0)).isEqualTo(1);
    assertThat(Latencies.quantile(v, 0.1)).isEqualTo(1);
    assertThat(Latencies.quantile(v, 0.11)).isEqualTo(2);
    assertThat(Latencies.quantile(v, 0.5)).isEqualTo(5);
    assertThat(Latencies.quantile(v, 0.9)).isEqualTo(9);
    assertThat(Latencies.quantile(v, 0.99)).isEqualTo(10);
    assertThat(Latencies.quantile(v, 0.999)).isEqualTo(10);
    assertThat(Latencies.quantile(v, 1)).isEqualTo(10);
  }

  @Test
  void nearestRankQuantilesOfAThousandValues() {
    // values 0.001, 0.002, ..., 1.000: the q quantile is the value of rank ceil(1000 q)
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) v[i] = (i + 1) / 1000.0;
    assertThat(Latencies.quantile(v, 0.5)).isEqualTo(0.5);
    assertThat(Latencies.quantile(v, 0.9)).isEqualTo(0.9);
    assertThat(Latencies.quantile(v, 0.99)).isEqualTo(0.99);
    assertThat(Latencies.quantile(v, 0.999)).isEqualTo(0.999);
    assertThat(Latencies.quantile(new double[0], 0.5)).isNaN();
  }

  @Test
  void w1OfKnownDistributions() {
    // a point mass moved by 3
    assertThat(Latencies.w1(sorted(2), sorted(5))).isEqualTo(3);
    // {0, 1} against {0.5}: half the mass moves 0.5 each way
    assertThat(Latencies.w1(sorted(0, 1), sorted(0.5))).isEqualTo(0.5);
    // {0, 0, 0, 4} against {1}: 3/4 of the mass moves 1, 1/4 moves 3
    assertThat(Latencies.w1(sorted(0, 0, 0, 4), sorted(1))).isCloseTo(0.75 + 0.75, within(1e-12));
    // the same distribution in samples of different sizes
    assertThat(Latencies.w1(sorted(1, 2, 3), sorted(3, 2, 1, 1, 2, 3))).isZero();
    assertThat(Latencies.w1(sorted(), sorted(1))).isNaN();
  }

  /** For samples of one size, W1 is the mean distance between the values of equal rank. */
  @Property
  void w1OfEqualSizesIsTheMeanGapOfSortedValues(
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 100) Double> a,
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 100) Double> b) {
    int n = Math.min(a.size(), b.size());
    double[] x =
        sorted(a.subList(0, n).stream().mapToDouble(Double::doubleValue).toArray());
    double[] y =
        sorted(b.subList(0, n).stream().mapToDouble(Double::doubleValue).toArray());
    double expected = 0;
    for (int i = 0; i < n; i++) expected += Math.abs(x[i] - y[i]) / n;
    assertThat(Latencies.w1(x, y)).isCloseTo(expected, within(1e-9));
  }

  /** Symmetric, invariant under a common shift, and the mean difference bounds it from below. */
  @Property
  void w1IsSymmetricShiftInvariantAndAtLeastTheMeanDifference(
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 100) Double> a,
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0, max = 100) Double> b,
      @ForAll @DoubleRange(min = -50, max = 50) double shift) {
    double[] x = sorted(a.stream().mapToDouble(Double::doubleValue).toArray());
    double[] y = sorted(b.stream().mapToDouble(Double::doubleValue).toArray());
    double w = Latencies.w1(x, y);
    assertThat(Latencies.w1(y, x)).isCloseTo(w, within(1e-9));
    assertThat(Latencies.w1(
            Arrays.stream(x).map(v -> v + shift).toArray(),
            Arrays.stream(y).map(v -> v + shift).toArray()))
        .isCloseTo(w, within(1e-9));
    assertThat(w).isGreaterThanOrEqualTo(Math.abs(Latencies.mean(x) - Latencies.mean(y)) - 1e-9);
  }
}
