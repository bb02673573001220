package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.block.DjlPredictor;
import org.lemurnn.train.block.LinkModel;

/**
 * The pure-Java cells step like the training module's DJL blocks (libtorch), for every model type.
 */
class CellsMatchDjlTest {
  @ParameterizedTest
  @EnumSource(CellType.class)
  void thousandStepsAgreeWithLibtorch(CellType cell) {
    ModelSpec spec = new ModelSpec(cell, 2, 16, "bscq", "bd", UnitSystem.ABSTRACT, 1);
    ModelFile file;
    try (NDManager manager = NDManager.newBaseManager()) {
      file = LinkModel.create(spec, 0, manager, 42).toModelFile();
    }
    CellPredictor cells = Predictors.of(file);
    Random random = new Random(7);
    float[] x = new float[4], a = new float[Predictor.OUTPUTS], b = new float[Predictor.OUTPUTS];
    try (DjlPredictor djl = DjlPredictor.of(file)) {
      for (int t = 0; t < 1000; t++) {
        for (int i = 0; i < 4; i++) x[i] = random.nextFloat() * 4 - 2;
        cells.step(x, a);
        djl.step(x, b);
        for (int k = 0; k < Predictor.OUTPUTS; k++) {
          double tolerance = 1e-5 * Math.max(1, Math.abs(b[k]));
          assertThat((double) a[k])
              .as("%s output %d at step %d", cell, k, t)
              .isBetween(b[k] - tolerance, b[k] + tolerance);
        }
      }
    }
  }
}
