package org.lemurnn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.sample.LinkSample;

/**
 * The original trained and picked models on its test tensors; ours trains on training data only.
 */
class DataSplitTest {
  @Test
  void trainLoadersCarryTrainingDataAndTheSetsAreDisjoint() {
    DataSets generated = TrainerTest.data(5, 96, 40, 40, 16);
    // label every sample with the set it came from, then see what the trainer made of them
    DataSets labelled = new DataSets(
        List.of(new LoaderSet(16, label(generated.train().getFirst().samples(), "train"))),
        label(generated.val(), "val"),
        label(generated.test(), "test"),
        generated.units(),
        generated.normScale(),
        generated.dataType(),
        List.of());
    try (Trainer trainer = new Trainer(
        TrainerTest.config(
            org.lemurnn.model.CellType.RELU_RNN, org.lemurnn.train.loss.Objective.DEFAULT),
        labelled)) {
      assertThat(trainer.trainSets()).hasSize(1);
      assertThat(trainer.trainSets().getFirst().traffic()).hasSize(96).containsOnly("train");
      assertThat(trainer.valSet().traffic()).hasSize(40).containsOnly("val");
      assertThat(trainer.testSet().traffic()).hasSize(40).containsOnly("test");

      Set<List<Float>> train = sequences(trainer.trainSets().getFirst());
      Set<List<Float>> val = sequences(trainer.valSet());
      Set<List<Float>> test = sequences(trainer.testSet());
      assertThat(train)
          .hasSize(96)
          .doesNotContainAnyElementsOf(val)
          .doesNotContainAnyElementsOf(test);
      assertThat(val).hasSize(40).doesNotContainAnyElementsOf(test);
    }
  }

  private static List<LinkSample> label(List<LinkSample> samples, String set) {
    List<LinkSample> out = new ArrayList<>();
    for (LinkSample s : samples) {
      out.add(new LinkSample(
          s.units(),
          s.link(),
          set,
          s.capacity(),
          s.queueLimit(),
          s.interPacketTime(),
          s.size(),
          s.backlog(),
          s.latency(),
          s.dropped()));
    }
    return out;
  }

  private static Set<List<Float>> sequences(SequenceSet set) {
    Set<List<Float>> out = new HashSet<>();
    int width = set.steps() * set.features();
    for (int s = 0; s < set.count(); s++) {
      float[] x = Arrays.copyOfRange(set.x(), s * width, (s + 1) * width);
      List<Float> row = new ArrayList<>();
      for (float v : x) row.add(v);
      out.add(row);
    }
    return out;
  }
}
