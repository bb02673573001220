package org.lemurnn.train.loss;

import static org.lemurnn.metrics.Metric.BACKLOG_L1;
import static org.lemurnn.metrics.Metric.CROSS_ENTROPY;
import static org.lemurnn.metrics.Metric.DROPRATE;
import static org.lemurnn.metrics.Metric.WASSERSTEIN;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lemurnn.metrics.Metric;
import org.lemurnn.metrics.SetMetrics;

/**
 * What a trainer minimises (docs/architecture.md, Training): the differentiable training loss on a
 * batch, and the validation loss, built from the plain metrics of a whole set, that picks the best
 * model.
 */
public enum Objective {
  /** trainer_bx: L1(backlog) + CrossEntropy(drops). */
  DEFAULT("trainer_bx"),
  /** trainer_bxe1: L1 + CE + the batch's symmetric earthmover (p=1, normalised) on P(drop). */
  EARTHMOVER("trainer_bxe1"),
  /** trainer_energy: L1 + droprate + squared CDF distance (not normalised) on P(drop). */
  ENERGY("trainer_energy");

  private final String trainerName;

  Objective(String trainerName) {
    this.trainerName = trainerName;
  }

  /** The original's trainer name, first part of the run directory name. */
  public String trainerName(boolean dropMasking) {
    return trainerName + (dropMasking ? "_dropmask" : "");
  }

  /** A training loss and its terms (each a scalar), for the log. */
  public record Terms(NDArray total, Map<String, NDArray> parts) {}

  /**
   * The loss of one batch: {@code backlog [B,T]} and {@code logits [B,T,2]} predicted,
   * {@code trueBacklog} and {@code trueDrops [B,T]} targets. With drop masking the backlog of
   * dropped packets does not count. {@code scored} (1 or 0 per step, or null: all) leaves a
   * window's burn-in out of every term: its steps add nothing to the sums (the means keep their
   * divisors).
   */
  public Terms trainingLoss(
      NDArray backlog,
      NDArray logits,
      NDArray trueBacklog,
      NDArray trueDrops,
      NDArray scored,
      boolean dropMasking) {
    Map<String, NDArray> parts = new LinkedHashMap<>();
    NDArray backlogMask = dropMasking ? trueDrops.neg().add(1) : null;
    if (scored != null) backlogMask = backlogMask == null ? scored : backlogMask.mul(scored);
    parts.put("backlog_l1", DropLosses.backlogL1(backlog, trueBacklog, backlogMask));
    NDArray pDrop = this == DEFAULT ? null : DropLosses.dropProbability(logits);
    if (scored != null && pDrop != null) {
      pDrop = pDrop.mul(scored);
      trueDrops = trueDrops.mul(scored);
    }
    switch (this) {
      case DEFAULT ->
        parts.put("cross_entropy", DropLosses.crossEntropy(logits, trueDrops, scored));
      case EARTHMOVER -> {
        parts.put("cross_entropy", DropLosses.crossEntropy(logits, trueDrops, scored));
        parts.put(
            "earthmover",
            DropLosses.symmetricEarthmover(trueDrops, pDrop, 1, true).sum());
      }
      case ENERGY -> {
        parts.put("droprate", DropLosses.dropCountError(trueDrops, pDrop).mean());
        parts.put("squared_cdf", DropLosses.squaredCdfDistance(trueDrops, pDrop).mean());
      }
    }
    NDArray total = null;
    for (NDArray part : parts.values()) total = total == null ? part : total.add(part);
    return new Terms(total, parts);
  }

  /** How the training loss is made, for the log header. */
  public String trainingDefinition() {
    return switch (this) {
      case DEFAULT -> "backlog_l1 + cross_entropy";
      case EARTHMOVER -> "backlog_l1 + cross_entropy + earthmover (sum over the batch, on P(drop))";
      case ENERGY -> "backlog_l1 + droprate + squared_cdf (on P(drop), counts not normalised)";
    };
  }

  /**
   * The validation loss from a set's per-sequence metrics (see
   * {@link org.lemurnn.train.Evaluation}).
   */
  public double validationLoss(SetMetrics metrics) {
    double common = metrics.get(BACKLOG_L1) + metrics.get(DROPRATE);
    return switch (this) {
      case DEFAULT -> common + metrics.get(CROSS_ENTROPY) + metrics.get(WASSERSTEIN);
      case EARTHMOVER ->
        common
            + metrics.get(CROSS_ENTROPY)
            + metrics.get(WASSERSTEIN)
            + metrics.get(Metric.EARTHMOVER);
      case ENERGY -> common + 10 * metrics.get(Metric.ENERGY);
    };
  }

  /** How the validation loss is made, for the log header. */
  public String validationDefinition() {
    return switch (this) {
      case DEFAULT -> "backlog_l1 + cross_entropy + droprate + wasserstein";
      case EARTHMOVER -> "backlog_l1 + cross_entropy + droprate + wasserstein + earthmover";
      case ENERGY -> "backlog_l1 + droprate + 10 * energy";
    };
  }
}
