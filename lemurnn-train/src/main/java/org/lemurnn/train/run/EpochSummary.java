package org.lemurnn.train.run;

import java.util.Locale;

/**
 * The line a user sees per epoch.
 *
 * @param fidelity this epoch's validation fidelity score, NaN where the run judges none
 */
public record EpochSummary(
    int epoch,
    int epochs,
    double trainLoss,
    double valLoss,
    double testLoss,
    int bestEpoch,
    boolean newBest,
    double fidelity,
    double seconds) {
  public String line() {
    // a run a time budget ends has no last epoch to show
    String of = epochs == Integer.MAX_VALUE ? "" : "/" + (epochs - 1);
    return String.format(
        Locale.ROOT,
        "epoch %d%s  train %.4f  val %.4f  test %.4f  best %d%s%s  %.2fs",
        epoch,
        of,
        trainLoss,
        valLoss,
        testLoss,
        bestEpoch,
        newBest ? "*" : " ",
        Double.isNaN(fidelity) ? "" : String.format(Locale.ROOT, "  fidelity %.2f", fidelity),
        seconds);
  }

  /** What the columns mean, for a legend printed once. */
  public static String legend() {
    return "columns: train, val, test = the trainer's loss on each set (lower is better);"
        + " best = the epoch of the lowest val loss (* this one); fidelity (measured data, --window) = how faithfully"
        + " this epoch emulates the whole validation streams (drop-rate error in points +"
        + " latency W1 in % of the mean; 0 is perfect), the best of which is model-best";
  }
}
