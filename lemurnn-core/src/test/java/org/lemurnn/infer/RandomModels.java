package org.lemurnn.infer;

import java.util.Random;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;

/** Random models and inputs for the cell tests. */
public final class RandomModels {
  private RandomModels() {}

  public static ModelFile of(CellType cell, int layers, int hidden, String inputStr, long seed) {
    return RandomWeights.of(
        new ModelSpec(cell, layers, hidden, inputStr, "bd", UnitSystem.ABSTRACT, 1), seed);
  }

  /** Random feature rows in [-2, 2): large enough to saturate gates and flip ReLUs. */
  public static float[][] features(int steps, int inputs, long seed) {
    Random random = new Random(seed);
    float[][] rows = new float[steps][inputs];
    for (float[] row : rows) for (int i = 0; i < inputs; i++) row[i] = random.nextFloat() * 4 - 2;
    return rows;
  }
}
