package org.lemurnn.train;

import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.loss.Objective;

/**
 * How to train: the model, the optimiser and the loss, the original's batch size in
 * {@link #BATCH_SIZE}.
 *
 * @param torchSeed seeds the initial weights, the shuffling and dropout (0 is a seed like any
 *     other)
 * @param computeAds also report ADS (additive drop similarity) at radii 0..16 ({@code -a})
 * @param threads threads that train the recurrent core, which runs in Java ({@code --threads})
 */
public record TrainerSettings(
    ModelSpec spec,
    double dropoutRate,
    double learningRate,
    int batchSize,
    Objective objective,
    boolean dropMasking,
    boolean computeAds,
    long torchSeed,
    int threads) {

  public static final int BATCH_SIZE = 64;

  public TrainerSettings {
    if (!(dropoutRate >= 0 && dropoutRate < 1))
      throw new IllegalArgumentException("dropout rate must be in [0, 1): " + dropoutRate);
    if (!(learningRate > 0))
      throw new IllegalArgumentException("learning rate must be > 0: " + learningRate);
    if (threads < 1) throw new org.lemurnn.InputException("--threads must be >= 1, got " + threads);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
  }
}
