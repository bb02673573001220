package org.lemurnn.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Metric;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.loss.Objective;

class TrainerTest {
  static TrainerSettings config(CellType cell, Objective objective) {
    return new TrainerSettings(
        new ModelSpec(cell, 1, 8, "bscq", "bd", UnitSystem.ABSTRACT, 1000.0),
        0.0,
        0.01,
        16,
        objective,
        false,
        false,
        1,
        Runtime.getRuntime().availableProcessors());
  }

  static DataSets data(long seed, int train, int val, int test, int steps) {
    return SyntheticData.generate(
        DataSpec.defaults().withSizes(steps, train, val, test).withSeed(seed, false));
  }

  @Test
  void lossFallsOnALearnableLink() {
    try (Trainer trainer =
        new Trainer(config(CellType.RELU_RNN, Objective.DEFAULT), data(3, 128, 32, 32, 32))) {
      double before = trainer.validate().get(Metric.BACKLOG_L1);
      TrainLoss first = trainer.trainEpoch(0, i -> {}, null);
      TrainLoss last = first;
      for (int e = 1; e < 6; e++) last = trainer.trainEpoch(e, i -> {}, null);
      double after = trainer.validate().get(Metric.BACKLOG_L1);
      assertThat(last.loss()).isLessThan(first.loss() * 0.8);
      assertThat(after).isLessThan(before * 0.8);
    }
  }
}
