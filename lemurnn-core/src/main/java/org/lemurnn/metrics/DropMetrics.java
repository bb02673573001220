package org.lemurnn.metrics;

/**
 * Distances between a true and a predicted drop vector of one sequence (docs/architecture.md,
 * Training), in plain Java so training, {@code run-model} and tests share one definition. A drop
 * vector holds one value per packet: 0/1 for true drops, 0/1 (argmax) or a probability for
 * predictions.
 */
public final class DropMetrics {
  /**
   * Added to each vector's sum before normalising, as the original, so an empty vector stays
   * finite.
   */
  static final double NORMALISE_EPSILON = 1e-14;

  private DropMetrics() {}

  /**
   * Droprate term of one sequence: |sum true - sum pred|. The original's droprate sums it over a
   * batch.
   */
  public static double dropCountError(float[] trueDrops, float[] predDrops) {
    checkLengths(trueDrops, predDrops);
    return Math.abs(sum(trueDrops) - sum(predDrops));
  }

  /**
   * CDF distance of order {@code p}: both vectors scaled to sum 1 (plus 1e-14), cumulated, then
   * (sum |F_true - F_pred|^p)^(1/p).
   */
  public static double cdfDistance(float[] trueDrops, float[] predDrops, double p) {
    checkLengths(trueDrops, predDrops);
    double trueScale = 1 / (sum(trueDrops) + NORMALISE_EPSILON);
    double predScale = 1 / (sum(predDrops) + NORMALISE_EPSILON);
    double cumTrue = 0, cumPred = 0, total = 0;
    for (int i = 0; i < trueDrops.length; i++) {
      cumTrue += trueDrops[i] * trueScale;
      cumPred += predDrops[i] * predScale;
      total += Math.pow(Math.abs(cumTrue - cumPred), p);
    }
    return Math.pow(total, 1 / p);
  }

  /** The 1-Wasserstein distance of the two drop distributions: {@code cdfDistance(p = 1)}. */
  public static double wasserstein(float[] trueDrops, float[] predDrops) {
    return cdfDistance(trueDrops, predDrops, 1);
  }

  /** Energy distance: sqrt(2) x {@code cdfDistance(p = 2)}. */
  public static double energy(float[] trueDrops, float[] predDrops) {
    return Math.sqrt(2) * cdfDistance(trueDrops, predDrops, 2);
  }

  /**
   * Symmetric earthmover distance of order {@code p} for every sequence of a batch. Normalised,
   * both vectors of every sequence are scaled by 2 / (all true drops + all predicted drops of the
   * batch); a batch without any drop gives 0, never NaN. Per sequence: the forward and the reversed
   * cumulative sums are compared, sum |diff|^p over both, divided by the sequence length.
   */
  public static double[] symmetricEarthmover(
      float[][] trueDrops, float[][] predDrops, double p, boolean normalised) {
    if (trueDrops.length != predDrops.length) {
      throw new IllegalArgumentException(
          "batch sizes differ: " + trueDrops.length + " vs " + predDrops.length);
    }
    double scale = 1;
    if (normalised) {
      double total = 0;
      for (int b = 0; b < trueDrops.length; b++) total += sum(trueDrops[b]) + sum(predDrops[b]);
      scale = total == 0 ? 0 : 2 / total;
    }
    double[] result = new double[trueDrops.length];
    for (int b = 0; b < trueDrops.length; b++) {
      result[b] = symmetricEarthmover(trueDrops[b], predDrops[b], p, scale);
    }
    return result;
  }

  /** One sequence with its own scale: {@code symmetricEarthmover} of a batch of one. */
  public static double symmetricEarthmover(
      float[] trueDrops, float[] predDrops, double p, boolean normalised) {
    return symmetricEarthmover(new float[][] {trueDrops}, new float[][] {predDrops}, p, normalised)[
        0];
  }

  private static double symmetricEarthmover(float[] t, float[] q, double p, double scale) {
    checkLengths(t, q);
    int n = t.length;
    if (n == 0) return 0;
    double forward = 0, backward = 0, total = 0;
    for (int i = 0; i < n; i++) {
      forward += (t[i] - q[i]) * scale;
      backward += (t[n - 1 - i] - q[n - 1 - i]) * scale;
      total += Math.pow(Math.abs(forward), p) + Math.pow(Math.abs(backward), p);
    }
    return total / n;
  }

  /** Share of packets whose predicted drop (0/1) equals the true one; 1 for an empty sequence. */
  public static double dropMatchAccuracy(float[] trueDrops, float[] predDrops) {
    checkLengths(trueDrops, predDrops);
    if (trueDrops.length == 0) return 1;
    int matches = 0;
    for (int i = 0; i < trueDrops.length; i++) {
      if ((trueDrops[i] >= 0.5f) == (predDrops[i] >= 0.5f)) matches++;
    }
    return (double) matches / trueDrops.length;
  }

  static double sum(float[] v) {
    double s = 0;
    for (float x : v) s += x;
    return s;
  }

  static void checkLengths(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "sequence lengths differ: " + a.length + " vs " + b.length);
    }
  }
}
