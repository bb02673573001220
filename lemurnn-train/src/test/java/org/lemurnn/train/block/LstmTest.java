package org.lemurnn.train.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our tensor-op LSTM against libtorch's own LSTM op (in grad mode, where it is right): the same
 * outputs, final states and parameter gradients, so the block that the Java core's gradients are
 * tested against, and that runs inference, computes PyTorch's LSTM.
 */
class LstmTest {
  private static final int HIDDEN = 5, INPUTS = 4, BATCH = 3, STEPS = 17;

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void outputsStatesAndGradientsEqualLibtorchsLstm(int layers) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape inputShape = new Shape(BATCH, STEPS, INPUTS);
      LSTM reference = LSTM.builder()
          .setStateSize(HIDDEN)
          .setNumLayers(layers)
          .optBatchFirst(true)
          .optReturnState(true)
          .build();
      reference.initialize(manager, DataType.FLOAT32, inputShape);
      Lstm ours = new Lstm(layers, HIDDEN, false);
      ours.initialize(manager, DataType.FLOAT32, inputShape);
      List<Parameter> referenceParams = parameters(reference), ourParams = parameters(ours);
      assertThat(ourParams).hasSameSizeAs(referenceParams);
      // both keep w_ih, w_hh, b_ih, b_hh per layer, PyTorch's order
      for (int i = 0; i < ourParams.size(); i++) {
        NDArray values =
            manager.randomUniform(-0.4f, 0.4f, referenceParams.get(i).getShape());
        referenceParams.get(i).getArray().set(values.toFloatArray());
        ourParams.get(i).getArray().set(values.toFloatArray());
      }
      NDArray x = manager.randomNormal(inputShape);
      NDArray h0 = manager.randomNormal(new Shape(layers, BATCH, HIDDEN)).mul(0.5);
      NDArray c0 = manager.randomNormal(new Shape(layers, BATCH, HIDDEN)).mul(0.5);
      NDArray yWeights = manager.randomNormal(new Shape(BATCH, STEPS, HIDDEN));

      NDList expected = forwardAndBackward(reference, x, h0, c0, yWeights);
      NDList actual = forwardAndBackward(ours, x, h0, c0, yWeights);
      for (int k = 0; k < 3; k++) assertClose(actual.get(k), expected.get(k)); // y, h, c
      for (int i = 0; i < ourParams.size(); i++) {
        assertClose(
            ourParams.get(i).getArray().getGradient(),
            referenceParams.get(i).getArray().getGradient());
      }
    }
  }

  /** Outputs (detached copies), after a backward of a loss that uses y and both final states. */
  private static NDList forwardAndBackward(
      AbstractBlock block, NDArray x, NDArray h0, NDArray c0, NDArray yWeights) {
    ParameterStore store = new ParameterStore(x.getManager(), false);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDList out = block.forward(store, new NDList(x, h0, c0), true);
      NDArray loss = out.get(0)
          .mul(yWeights)
          .sum()
          .add(out.get(1).sum())
          .add(out.get(2).square().sum());
      collector.backward(loss);
      return new NDList(
          out.get(0).duplicate(), out.get(1).duplicate(), out.get(2).duplicate());
    }
  }

  private static List<Parameter> parameters(AbstractBlock block) {
    return block.getParameters().values();
  }

  private static void assertClose(NDArray actual, NDArray expected) {
    assertThat(actual.getShape()).isEqualTo(expected.getShape());
    float[] a = actual.toFloatArray(), e = expected.toFloatArray();
    for (int i = 0; i < a.length; i++)
      assertThat(a[i]).isCloseTo(e[i], within(1e-5f * Math.max(1, Math.abs(e[i]))));
  }
}
