package org.lemurnn.metrics;

import java.util.List;

/**
 * The one number that ranks emulations of the same traces: per trace, the drop-rate error in
 * percentage points plus the W1 distance between the true and emulated latency distributions in
 * percent of the true mean latency, averaged over traces. Lower is better; 0 is a perfect
 * emulation. Training picks its best epoch by it (on the validation streams), {@code evaluate}
 * reports it and {@code sweep} ranks its trials by it: one definition, so that the three agree.
 */
public final class FidelityScore {
  private FidelityScore() {}

  /** The score of one trace. */
  public static double of(Fidelity trace) {
    double meanTrue = trace.truth().latencyMean();
    // nothing delivered on one side: the latency distribution is as wrong as it gets
    double w1Percent = !Double.isFinite(trace.latencyW1())
        ? 100
        : meanTrue > 0 ? 100 * trace.latencyW1() / meanTrue : trace.latencyW1();
    return trace.dropRateErrorPoints() + w1Percent;
  }

  /**
   * The score of many traces: the mean of their scores (each trace weighs alike), not the score of
   * their mean figures.
   */
  public static double mean(List<Fidelity> traces) {
    return traces.stream().mapToDouble(FidelityScore::of).average().orElse(Double.NaN);
  }
}
