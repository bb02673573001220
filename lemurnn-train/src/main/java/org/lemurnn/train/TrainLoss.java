package org.lemurnn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training loss of a batch or the mean over an epoch's sequences: the total the optimiser
 * minimises and its terms, by the names {@link org.lemurnn.train.loss.Objective#trainingLoss} gives
 * them (which differ per objective, so they stay names).
 */
public record TrainLoss(double loss, Map<String, Double> terms) {
  public TrainLoss {
    terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  /** As training_history.json's {@code train_loss_details}: the terms, then {@code loss}. */
  public Map<String, Double> byName() {
    Map<String, Double> out = new LinkedHashMap<>(terms);
    out.put("loss", loss);
    return out;
  }
}
