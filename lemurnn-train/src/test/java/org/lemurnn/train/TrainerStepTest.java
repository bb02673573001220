package org.lemurnn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.loss.Objective;

/**
 * A training step with the core in Java hands Adam the same gradients as autograd over the whole
 * DJL model: after three steps the loss terms and every weight (the head's too) equal those of the
 * same steps taken by libtorch alone.
 */
class TrainerStepTest {
  @ParameterizedTest(name = "{0} {1}x{2} {3}")
  @CsvSource({
    "RELU_RNN,1,8,DEFAULT",
    "LSTM,2,16,EARTHMOVER",
    "GRU,2,8,ENERGY",
    "RELU_LSTM,2,8,DEFAULT"
  })
  void threeStepsEqualAutogradOverTheWholeModel(
      CellType cell, int layers, int hidden, Objective objective) {
    ModelSpec spec = new ModelSpec(cell, layers, hidden, "bscq", "bd", UnitSystem.ABSTRACT, 1000.0);
    TrainerSettings config = new TrainerSettings(
        spec,
        0.0,
        0.01,
        16,
        objective,
        false,
        false,
        5,
        Runtime.getRuntime().availableProcessors());
    try (Trainer trainer = new Trainer(config, TrainerTest.data(4, 48, 16, 16, 24));
        NDManager manager = NDManager.newBaseManager()) {
      SequenceSet set = trainer.trainSets().getFirst();
      LinkModel reference = LinkModel.create(spec, 0.0, manager, 99);
      reference.load(trainer.model().tensors());
      AutogradStep libtorch =
          new AutogradStep(reference, objective, config.learningRate(), manager);
      int batch = 16, steps = set.steps();
      for (int k = 0; k < 3; k++) {
        int[] order = new int[set.count()];
        for (int i = 0; i < order.length; i++) order[i] = (i * 7 + k) % order.length;
        float[] x = SequenceSet.gather(set.x(), steps * set.features(), order, 0, batch);
        float[] backlog = SequenceSet.gather(set.backlog(), steps, order, 0, batch);
        float[] drops = SequenceSet.gather(set.drops(), steps, order, 0, batch);

        TrainLoss ours = trainer.step(x, backlog, drops, null, batch, steps, null);
        double expectedLoss = libtorch.step(x, backlog, drops, batch, steps);
        assertThat(ours.loss())
            .isCloseTo(expectedLoss, within(1e-4 * Math.max(1, Math.abs(expectedLoss))));
      }
      Map<String, Tensor> expected = reference.tensors();
      trainer.model().tensors().forEach((name, tensor) -> {
        float[] a = tensor.data(), e = expected.get(name).data();
        for (int i = 0; i < a.length; i++)
          assertThat(a[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(1e-4f));
      });
    }
  }
}
