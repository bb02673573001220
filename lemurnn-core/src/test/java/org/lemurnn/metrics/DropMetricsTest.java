package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DropMetricsTest {
  @Provide
  Arbitrary<Tuple.Tuple2<float[], float[]>> dropPairs() {
    return Arbitraries.integers()
        .between(1, 200)
        .flatMap(n -> Combinators.combine(drops(n), drops(n)).as(Tuple::of));
  }

  static Arbitrary<float[]> drops(int n) {
    return Arbitraries.integers().between(0, 1).array(int[].class).ofSize(n).map(a -> {
      float[] f = new float[a.length];
      for (int i = 0; i < a.length; i++) f[i] = a[i];
      return f;
    });
  }

  @Property
  void identicalVectorsAreAtDistanceZero(@ForAll("dropPairs") Tuple.Tuple2<float[], float[]> pair) {
    float[] a = pair.get1();
    assertThat(DropMetrics.dropCountError(a, a)).isZero();
    assertThat(DropMetrics.wasserstein(a, a)).isCloseTo(0, within(1e-12));
    assertThat(DropMetrics.energy(a, a)).isCloseTo(0, within(1e-6));
    assertThat(DropMetrics.symmetricEarthmover(a, a, 1, true)).isZero();
    assertThat(DropMetrics.dropMatchAccuracy(a, a)).isEqualTo(1);
  }

  @Property
  void distancesAreSymmetric(
      @ForAll("dropPairs") Tuple.Tuple2<float[], float[]> pair,
      @ForAll @DoubleRange(min = 1, max = 2) double p) {
    float[] a = pair.get1(), b = pair.get2();
    assertThat(DropMetrics.cdfDistance(a, b, p))
        .isCloseTo(DropMetrics.cdfDistance(b, a, p), within(1e-9));
    assertThat(DropMetrics.symmetricEarthmover(a, b, p, true))
        .isCloseTo(DropMetrics.symmetricEarthmover(b, a, p, true), within(1e-9));
    assertThat(DropMetrics.dropCountError(a, b)).isEqualTo(DropMetrics.dropCountError(b, a));
  }

  @Property
  void wassersteinOfTwoSingleDropsIsTheirDistance(
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 0, max = 299) int i,
      @ForAll @IntRange(min = 0, max = 299) int j) {
    float[] a = new float[n], b = new float[n];
    a[i % n] = 1;
    b[j % n] = 1;
    int distance = Math.abs(i % n - j % n);
    // the CDFs differ by 1 on exactly `distance` packets
    assertThat(DropMetrics.wasserstein(a, b)).isCloseTo(distance, within(1e-9));
    assertThat(DropMetrics.cdfDistance(a, b, 1.5))
        .isCloseTo(Math.pow(distance, 1 / 1.5), within(1e-9));
    assertThat(DropMetrics.energy(a, b)).isCloseTo(Math.sqrt(2 * distance), within(1e-9));
    // unnormalised earthmover: the forward and the reversed sums each differ by 1 on `distance`
    // packets
    assertThat(DropMetrics.symmetricEarthmover(a, b, 2, false))
        .isCloseTo(2.0 * distance / n, within(1e-12));
  }

  @Test
  void normalisedEarthmoverWithoutDropsIsZeroNotNaN() {
    float[][] none = new float[3][16];
    assertThat(DropMetrics.symmetricEarthmover(none, none, 1, true)).containsExactly(0, 0, 0);
  }

  @Test
  void normalisationSpansTheBatch() {
    // 4 drops in the batch: scale 2 / 4, so one sequence with one true drop at 0 and a predicted
    // one at 2
    // of length 4 gives (2 x 0.5 + 2 x 0.5) / 4 at p = 1
    float[][] t = {{1, 0, 0, 0}, {1, 0, 0, 0}};
    float[][] p = {{0, 0, 1, 0}, {1, 0, 0, 0}};
    double[] d = DropMetrics.symmetricEarthmover(t, p, 1, true);
    assertThat(d[0]).isCloseTo(0.5, within(1e-12));
    assertThat(d[1]).isZero();
  }

  @Test
  void dropCountErrorAndMatchAccuracy() {
    float[] t = {1, 0, 1, 0, 1};
    float[] p = {0, 0, 1, 0, 0};
    assertThat(DropMetrics.dropCountError(t, p)).isEqualTo(2);
    assertThat(DropMetrics.dropMatchAccuracy(t, p)).isEqualTo(3.0 / 5);
  }

  @Test
  void backlogErrors() {
    float[] t = {1, 2, 3}, p = {2, 2, 1}, c = {1, 2, 4};
    assertThat(BacklogMetrics.l1(t, p)).isEqualTo(1);
    assertThat(BacklogMetrics.l1PerCapacity(t, p, c)).isCloseTo((1 + 0 + 0.5) / 3, within(1e-12));
  }
}
