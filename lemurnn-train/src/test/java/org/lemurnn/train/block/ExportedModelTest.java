package org.lemurnn.train.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;

/**
 * The model file a run exports gives, through the pure-Java cells, the outputs of the DJL block it
 * came from.
 */
class ExportedModelTest {
  @ParameterizedTest
  @EnumSource(CellType.class)
  void pureJavaCellsReproduceTheDjlBlock(CellType cell, @TempDir Path dir) {
    Path file = dir.resolve("model.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      LinkModel.create(LinkModelTest.spec(cell, 2, 8), 0.0, manager, 21)
          .toModelFile()
          .write(file);
    }
    ModelFile model = ModelFile.read(file);
    Predictor cells = Predictors.of(model);
    float[][][] x = LinkModelTest.randomInputs(new SplittableRandom(8), 1, 1000);
    float[] expected = new float[3], actual = new float[3];
    try (DjlPredictor djl = DjlPredictor.of(model)) {
      for (int t = 0; t < 1000; t++) {
        djl.step(x[0][t], expected);
        cells.step(x[0][t], actual);
        for (int k = 0; k < 3; k++) {
          assertThat(actual[k])
              .as("step %d output %d", t, k)
              .isCloseTo(expected[k], within(1e-5f * Math.max(1, Math.abs(expected[k]))));
        }
      }
    }
  }
}
