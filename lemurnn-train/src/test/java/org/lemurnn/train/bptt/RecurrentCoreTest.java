package org.lemurnn.train.bptt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.block.LinkModel;

/**
 * The Java core against the DJL blocks and libtorch's autograd: the same output and the same
 * gradient of every weight, for every cell type, one and several layers, one and several threads,
 * and hidden sizes on and off the SIMD width.
 */
class RecurrentCoreTest {
  private static final int BATCH = 5, STEPS = 19;

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (CellType cell : CellType.values()) {
      cases.add(Arguments.of(cell, 1, 8, 1));
      cases.add(Arguments.of(cell, 3, 5, 2));
      cases.add(Arguments.of(cell, 2, 20, 3));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} {1}x{2}, {3} threads")
  @MethodSource("cases")
  void outputAndWeightGradientsEqualAutograd(CellType cell, int layers, int hidden, int threads) {
    ModelSpec spec = new ModelSpec(cell, layers, hidden, "bscq", "bd", UnitSystem.ABSTRACT, 1000.0);
    SplittableRandom random = new SplittableRandom(cell.ordinal() * 100L + layers);
    float[] x = randoms(random, BATCH * STEPS * spec.inputSize(), 1.0);
    float[] gradY = randoms(random, BATCH * STEPS * hidden, 1.0);
    try (NDManager manager = NDManager.newBaseManager();
        RecurrentCore core = new RecurrentCore(spec, threads, 0)) {
      LinkModel model = LinkModel.create(spec, 0.0, manager, 7);
      core.setWeights(model.tensors());

      float[] expectedY;
      ParameterStore store = new ParameterStore(manager, false);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = model
            .core(
                store,
                new NDList(manager.create(x, new Shape(BATCH, STEPS, spec.inputSize()))),
                true)
            .head();
        collector.backward(y.mul(manager.create(gradY, y.getShape())).sum());
        expectedY = y.toFloatArray();
      }
      float[] actualY = core.forward(x, BATCH, STEPS);
      assertClose("y", actualY, expectedY);
      Map<String, float[]> gradients = core.backward(gradY);
      assertThat(gradients.keySet()).containsExactlyElementsOf(core.parameterNames());
      for (String name : core.parameterNames()) {
        Parameter p = model.stateDict().get(name);
        assertClose(name, gradients.get(name), p.getArray().getGradient().toFloatArray());
      }
      // a batch of another shape in between: the workspaces it leaves behind do not change the
      // result (not to the bit: vector tanh compiled by C2 and interpreted may differ in the last
      // place)
      core.forward(randoms(random, 2 * 7 * spec.inputSize(), 1.0), 2, 7);
      assertClose("y again", core.forward(x, BATCH, STEPS), actualY);
    }
  }

  private static float[] randoms(SplittableRandom random, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) random.nextDouble(-scale, scale);
    return a;
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    double scale = 0;
    for (float e : expected) scale = Math.max(scale, Math.abs(e));
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within((float)
          (2e-5 * Math.max(1, scale))));
    }
  }
}
