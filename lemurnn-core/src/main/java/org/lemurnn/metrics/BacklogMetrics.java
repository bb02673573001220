package org.lemurnn.metrics;

/**
 * Errors of a predicted backlog (or latency) sequence against the true one (docs/architecture.md,
 * Training).
 */
public final class BacklogMetrics {
  private BacklogMetrics() {}

  /** Mean absolute error over the packets of one sequence; 0 for an empty one. */
  public static double l1(float[] trueBacklog, float[] predBacklog) {
    DropMetrics.checkLengths(trueBacklog, predBacklog);
    if (trueBacklog.length == 0) return 0;
    double total = 0;
    for (int i = 0; i < trueBacklog.length; i++)
      total += Math.abs((double) trueBacklog[i] - predBacklog[i]);
    return total / trueBacklog.length;
  }

  /**
   * backlog_n: the mean absolute error with each packet's error divided by its capacity feature, so
   * links of different capacity weigh alike (an error in drain time rather than in bytes).
   */
  public static double l1PerCapacity(float[] trueBacklog, float[] predBacklog, float[] capacity) {
    DropMetrics.checkLengths(trueBacklog, predBacklog);
    DropMetrics.checkLengths(trueBacklog, capacity);
    if (trueBacklog.length == 0) return 0;
    double total = 0;
    for (int i = 0; i < trueBacklog.length; i++) {
      total += Math.abs((double) trueBacklog[i] - predBacklog[i]) / capacity[i];
    }
    return total / trueBacklog.length;
  }
}
