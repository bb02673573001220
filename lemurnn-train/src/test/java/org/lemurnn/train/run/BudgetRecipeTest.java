package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;

/**
 * The recipe's two runs are made from the fine-tuning options by typed edits that keep the rest.
 */
class BudgetRecipeTest {
  private static final TrainOptions FINE_TUNE = new TrainOptions(
      new TrainOptions.Model(CellType.RELU_RNN, 1, 16, "Bscqix"),
      new TrainOptions.Loss(Objective.DEFAULT, false, false),
      new TrainOptions.Link(List.of("default"), List.of(), LinkKind.CODEL, false, null),
      new TrainOptions.Sizes(Integer.MAX_VALUE, 0.75, 0.15, 0.1, false, 2000, 128),
      new TrainOptions.Seeds(3, 4),
      new TrainOptions.Schedule(Integer.MAX_VALUE, 0.003, 0.0, null),
      List.of("/traces"),
      false,
      false,
      LinkFitting.VARYING);

  @Test
  void pretrainingRunsTheFineTuningModelOnTheMatchedSyntheticLink() throws IOException {
    Path preset = Path.of("/budget/matched-link.json");
    TrainOptions pretrain = BudgetRecipe.pretrain(FINE_TUNE, preset, false);
    assertThat(pretrain.tracePaths()).isEmpty();
    assertThat(pretrain.link())
        .isEqualTo(new TrainOptions.Link(
            List.of(preset.toString()),
            BudgetRecipe.PRETRAIN_TRAFFIC,
            LinkKind.BYTEQUEUE,
            false,
            null));
    // long enough streams for a window and its burn-in, however long the window
    assertThat(pretrain.sizes())
        .isEqualTo(new TrainOptions.Sizes(
            2128, BudgetRecipe.PRETRAIN_KILO_STREAMS, 0.02, 0.02, false, 2000, 128));
    assertThat(pretrain.model()).isEqualTo(FINE_TUNE.model());
    assertThat(pretrain.schedule()).isEqualTo(FINE_TUNE.schedule());
    assertThat(pretrain.seeds()).isEqualTo(FINE_TUNE.seeds());
    assertThat(pretrain.fitLinks()).isEqualTo(FINE_TUNE.fitLinks());
    // what the pretraining run records is what it resumes with
    assertThat(TrainOptions.fromJson(pretrain.toJson())).isEqualTo(pretrain);

    TrainOptions packets = BudgetRecipe.pretrain(FINE_TUNE, preset, true);
    assertThat(packets.link().kind()).isEqualTo(LinkKind.PACKETQUEUE);
  }

  @Test
  void fineTuningStartsFromThePretrainedModelAtAThirdOfTheLearningRate() {
    TrainOptions fromPretrained =
        BudgetRecipe.fromPretrained(FINE_TUNE, Path.of("/budget/pretrain/model-best.safetensors"));
    assertThat(fromPretrained.schedule().init())
        .isEqualTo(Path.of("/budget/pretrain/model-best.safetensors").toString());
    assertThat(fromPretrained.schedule().learningRate()).isCloseTo(0.001, within(1e-12));
    assertThat(fromPretrained.schedule().numEpochs())
        .isEqualTo(FINE_TUNE.schedule().numEpochs());
    assertThat(fromPretrained.withSchedule(FINE_TUNE.schedule())).isEqualTo(FINE_TUNE);
  }

  @Test
  void aBudgetDoesItsFloorOfWorkPerMinute() {
    assertThat(BudgetRecipe.minPretrainEpochs(0.1)).isEqualTo(1);
    assertThat(BudgetRecipe.minPretrainEpochs(12)).isEqualTo(6);
  }
}
