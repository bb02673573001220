package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

class AdditiveDropSimilarityTest {
  @Property
  void slidingWindowEqualsNaiveSmearing(
      @ForAll("dropPairs") Tuple.Tuple2<float[], float[]> pair,
      @ForAll @IntRange(min = 0, max = 40) int radius) {
    assertThat(AdditiveDropSimilarity.ads(pair.get1(), pair.get2(), radius))
        .isCloseTo(naive(pair.get1(), pair.get2(), radius), within(1e-9));
  }

  @Property
  void radiusZeroIsL1OfDrops(@ForAll("dropPairs") Tuple.Tuple2<float[], float[]> pair) {
    float[] a = pair.get1(), b = pair.get2();
    double l1 = 0;
    for (int i = 0; i < a.length; i++) l1 += Math.abs(a[i] - b[i]);
    assertThat(AdditiveDropSimilarity.ads(a, b, 0)).isCloseTo(l1, within(1e-12));
  }

  @Property
  void symmetricAndZeroOnIdentical(@ForAll("dropPairs") Tuple.Tuple2<float[], float[]> pair) {
    float[] a = pair.get1(), b = pair.get2();
    for (int r : AdditiveDropSimilarity.RADII) {
      assertThat(AdditiveDropSimilarity.ads(a, b, r))
          .isCloseTo(AdditiveDropSimilarity.ads(b, a, r), within(1e-9));
      assertThat(AdditiveDropSimilarity.ads(a, a, r)).isZero();
    }
  }

  @Property
  void aDropOneOffCostsLessAtLargerRadius(@ForAll @IntRange(min = 40, max = 100) int n) {
    float[] a = new float[n], b = new float[n];
    a[20] = 1;
    b[21] = 1;
    double[] ads = AdditiveDropSimilarity.adsAtRadii(a, b);
    assertThat(ads[0]).isCloseTo(2, within(1e-12));
    for (int k = 1; k < ads.length; k++) {
      // windows of 2r+1 overlap on 2r packets: only 2 packets differ, each by 1/(2r+1)
      assertThat(ads[k]).isCloseTo(2.0 / (2 * AdditiveDropSimilarity.RADII[k] + 1), within(1e-12));
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Tuple.Tuple2<float[], float[]>> dropPairs() {
    return new DropMetricsTest().dropPairs();
  }

  private static double naive(float[] t, float[] p, int r) {
    int n = t.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double wt = 0, wp = 0;
      for (int j = Math.max(0, i - r); j <= Math.min(n - 1, i + r); j++) {
        wt += t[j] / (2.0 * r + 1);
        wp += p[j] / (2.0 * r + 1);
      }
      total += Math.abs(wt - wp);
    }
    return total;
  }
}
