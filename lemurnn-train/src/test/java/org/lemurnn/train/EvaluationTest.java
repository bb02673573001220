package org.lemurnn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.bptt.RecurrentCore;

/** The batched evaluation predicts what the DJL model predicts, whatever the batches' cut. */
class EvaluationTest {
  @ParameterizedTest(name = "{0} {1}x{2}, batches of {3}")
  @CsvSource({"RELU_RNN,1,8,3", "LSTM,2,16,64", "GRU,1,8,5", "RELU_LSTM,2,8,4", "TANH_RNN,3,20,2"})
  void predictionsEqualTheDjlModel(CellType cell, int layers, int hidden, int batchSize) {
    ModelSpec spec = new ModelSpec(cell, layers, hidden, "bscq", "bd", UnitSystem.ABSTRACT, 1000.0);
    SequenceSet set = SequenceSet.of(TrainerTest.data(8, 16, 16, 7, 21).test(), spec);
    try (NDManager manager = NDManager.newBaseManager();
        RecurrentCore core = new RecurrentCore(spec, 2)) {
      LinkModel model = LinkModel.create(spec, 0.0, manager, 3);
      float[][][] predicted = Evaluation.predict(core, model.tensors(), set, batchSize);
      float[] expected = model
          .forward(
              new ParameterStore(manager, false),
              new NDList(
                  manager.create(set.x(), new Shape(set.count(), set.steps(), set.features()))),
              false)
          .head()
          .toFloatArray();
      float[] actual = new float[expected.length];
      int at = 0;
      for (float[][] sequence : predicted) {
        for (float[] step : sequence) {
          System.arraycopy(step, 0, actual, at, step.length);
          at += step.length;
        }
      }
      assertThat(at).isEqualTo(expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertThat(actual[i])
            .as("output %d", i)
            .isCloseTo(expected[i], within(1e-4f * Math.max(1, Math.abs(expected[i]))));
      }
    }
  }
}
