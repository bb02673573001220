package org.lemurnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Models with random weights, initialised like PyTorch (uniform +-1/sqrt(hidden) for the recurrent
 * weights, biases and the Linear head), under the original's {@code state_dict} names: for speed
 * measurements and tests, where what the model learned does not matter.
 */
public final class RandomWeights {
  private RandomWeights() {}

  public static ModelFile of(ModelSpec spec, long seed) {
    Random random = new Random(seed);
    CellType cell = spec.cell();
    int hidden = spec.hidden();
    int rows = cell.gates() * hidden;
    float bound = (float) (1 / Math.sqrt(hidden));
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int l = 0; l < spec.layers(); l++) {
      List<String> names = spec.recurrentNames(l);
      tensors.put(names.get(0), uniform(random, bound, rows, l == 0 ? spec.inputSize() : hidden));
      tensors.put(names.get(1), uniform(random, bound, rows, hidden));
      tensors.put(names.get(2), uniform(random, bound, rows));
      tensors.put(names.get(3), uniform(random, bound, rows));
    }
    tensors.put("fc.weight", uniform(random, bound, ModelSpec.OUTPUTS, hidden));
    tensors.put("fc.bias", uniform(random, bound, ModelSpec.OUTPUTS));
    return new ModelFile(spec, tensors);
  }

  private static Tensor uniform(Random random, float bound, int... shape) {
    int n = 1;
    for (int d : shape) n *= d;
    float[] data = new float[n];
    for (int i = 0; i < n; i++) data[i] = (random.nextFloat() * 2 - 1) * bound;
    return new Tensor(shape, data);
  }
}
