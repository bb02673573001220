package org.lemurnn.train.run;

import java.nio.file.Path;

/**
 * What a run made, for the user: the model to use and how it was chosen.
 *
 * @param bestModel the model to use ({@code model-best.safetensors}); null before an epoch ended
 * @param bestEpoch the epoch it is of (-1: the model the run started from, --init, or one an
 *     earlier session of the run chose)
 * @param fidelity its validation fidelity score (drop-rate error in points + latency W1 in % of the
 *     true mean; lower is better), NaN when the run judged by validation loss only
 * @param idealFidelity the same score for the ideal link of the data, NaN when there is none
 * @param dropRule the drop rule chosen with the model, or null
 * @param interrupted whether Ctrl-C stopped the run
 */
public record RunSummary(
    Path runDir,
    Path bestModel,
    int bestEpoch,
    int epochsDone,
    double fidelity,
    double idealFidelity,
    String dropRule,
    boolean interrupted) {
  /** The same run's summary naming another folder and model (a budget's, which holds it). */
  public RunSummary in(Path folder, Path model) {
    return new RunSummary(
        folder, model, bestEpoch, epochsDone, fidelity, idealFidelity, dropRule, interrupted);
  }
}
