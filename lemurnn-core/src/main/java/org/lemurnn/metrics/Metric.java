package org.lemurnn.metrics;

/**
 * The metrics lemurnn train computes for a whole set, each the mean over its sequences.
 * {@link #key} is the name in training_history.json ({@code *_loss_details}) and, after
 * {@code val_} or {@code test_}, the column of training_log.dat.
 */
public enum Metric {
  /** Mean |true - predicted backlog|. */
  BACKLOG_L1("backlog_l1"),
  /** The backlog L1 divided by the capacity. */
  BACKLOG_N("backlog_n"),
  /** Cross-entropy of the drop logits. */
  CROSS_ENTROPY("cross_entropy"),
  /** |true - predicted drop count|. */
  DROPRATE("droprate"),
  WASSERSTEIN("wasserstein"),
  ENERGY("energy"),
  /** Symmetric earthmover, p = 1, normalised per sequence. */
  EARTHMOVER("earthmover"),
  /** Share of packets whose fate was predicted right. */
  DROP_ACCURACY("drop_accuracy");

  private final String key;

  Metric(String key) {
    this.key = key;
  }

  /** The name in the run's files. */
  public String key() {
    return key;
  }
}
