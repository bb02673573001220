package org.lemurnn.metrics;

/**
 * ADS, the additive drop similarity ({@code -a}, docs/architecture.md, Training): every drop is
 * smeared over the packets within +-r of it with weight 1/(2r+1), and the smeared true and
 * predicted vectors are compared in L1. Radius 0 is the plain L1 distance of the drop vectors;
 * larger radii forgive drops predicted a few packets early or late.
 */
public final class AdditiveDropSimilarity {
  /** The radii the original reports. */
  public static final int[] RADII = {0, 1, 2, 4, 8, 16};

  private AdditiveDropSimilarity() {}

  /**
   * ADS at one radius in O(n): smearing is linear, so smear the difference once with a sliding
   * window instead of smearing each vector with an O(n r) convolution.
   */
  public static double ads(float[] trueDrops, float[] predDrops, int radius) {
    DropMetrics.checkLengths(trueDrops, predDrops);
    if (radius < 0) throw new IllegalArgumentException("radius must be >= 0: " + radius);
    int n = trueDrops.length;
    double weight = 1.0 / (2 * radius + 1);
    double window = 0; // sum of diff[j] for j in [i - r, i + r] within the sequence
    for (int j = 0; j < Math.min(radius, n); j++) window += diff(trueDrops, predDrops, j);
    double total = 0;
    for (int i = 0; i < n; i++) {
      int enter = i + radius, leave = i - radius - 1;
      if (enter < n) window += diff(trueDrops, predDrops, enter);
      if (leave >= 0) window -= diff(trueDrops, predDrops, leave);
      total += Math.abs(window) * weight;
    }
    return total;
  }

  /** ADS at every radius of {@link #RADII}, in that order. */
  public static double[] adsAtRadii(float[] trueDrops, float[] predDrops) {
    double[] result = new double[RADII.length];
    for (int k = 0; k < RADII.length; k++) result[k] = ads(trueDrops, predDrops, RADII[k]);
    return result;
  }

  private static double diff(float[] t, float[] p, int i) {
    return (double) t[i] - p[i];
  }
}
