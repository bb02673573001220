package org.lemurnn.train.run;

import java.util.List;
import org.lemurnn.train.loss.Objective;

/** The {@code #} lines that open {@code training_log.dat}: what each column means. */
final class LogHeader {
  private LogHeader() {}

  static List<String> lines(Objective objective) {
    return List.of(
        "# lemurnn training log, one tab-separated line per epoch. Every loss and metric is a mean per sequence.",
        "# train_loss: " + objective.trainingDefinition() + " (means over the epoch's batches)",
        "# val_loss: " + objective.validationDefinition()
            + ", on the validation set; the best model has the lowest",
        "# test_loss: the same on the test set, for the best model so far",
        "# backlog_l1: mean |true - predicted backlog| per packet (output units); backlog_n: the same divided by the capacity feature",
        "# cross_entropy: mean cross-entropy of the drop logits per packet",
        "# droprate: |true - predicted drop count|; drop_accuracy: share of packets whose drop is predicted right",
        "# wasserstein: CDF distance p=1 of the drop vectors (each scaled to sum 1); energy: sqrt(2) x CDF distance p=2",
        "# earthmover: symmetric earthmover p=1 of the drop vectors, normalised; ads_rN: additive drop similarity at radius N",
        "# <traffic>/<metric>: a test metric over the sequences of one traffic type (when there are several)");
  }
}
