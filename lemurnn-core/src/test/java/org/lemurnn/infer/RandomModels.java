package org.lemurnn.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;

/** Models with random weights, initialised like PyTorch (uniform +-1/sqrt(hidden)). */
public final class RandomModels {
  private RandomModels() {}

  public static ModelFile of(CellType cell, int layers, int hidden, String inputStr, long seed) {
    Random random = new Random(seed);
    ModelSpec spec = new ModelSpec(cell, layers, hidden, inputStr, "bd", UnitSystem.ABSTRACT, 1);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    int rows = cell.gates() * hidden;
    float bound = (float) (1 / Math.sqrt(hidden));
    String p = cell.parameterPrefix() + ".";
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? inputStr.length() : hidden;
      tensors.put(p + "weight_ih_l" + l, uniform(random, bound, rows, in));
      tensors.put(p + "weight_hh_l" + l, uniform(random, bound, rows, hidden));
      tensors.put(p + "bias_ih_l" + l, uniform(random, bound, rows));
      tensors.put(p + "bias_hh_l" + l, uniform(random, bound, rows));
    }
    tensors.put("fc.weight", uniform(random, bound, 3, hidden));
    tensors.put("fc.bias", uniform(random, bound, 3));
    return new ModelFile(spec, tensors);
  }

  /** Random feature rows in [-2, 2): large enough to saturate gates and flip ReLUs. */
  public static float[][] features(int steps, int inputs, long seed) {
    Random random = new Random(seed);
    float[][] rows = new float[steps][inputs];
    for (float[] row : rows) for (int i = 0; i < inputs; i++) row[i] = random.nextFloat() * 4 - 2;
    return rows;
  }

  private static Tensor uniform(Random random, float bound, int... shape) {
    int n = 1;
    for (int d : shape) n *= d;
    float[] data = new float[n];
    for (int i = 0; i < n; i++) data[i] = (random.nextFloat() * 2 - 1) * bound;
    return new Tensor(shape, data);
  }
}
