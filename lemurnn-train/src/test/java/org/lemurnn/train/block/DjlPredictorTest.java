package org.lemurnn.train.block;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;

/** The libtorch baseline steps as a PyTorch user would: no graph, nothing left behind per step. */
class DjlPredictorTest {
  @ParameterizedTest
  @EnumSource(CellType.class)
  void aStepLeavesNoArrayBehindAndBuildsNoGraph(CellType cell) {
    ModelFile file;
    try (NDManager manager = NDManager.newBaseManager()) {
      file = LinkModel.create(LinkModelTest.spec(cell, 3, 16), 0.0, manager, 5).toModelFile();
    }
    float[][][] x = LinkModelTest.randomInputs(new SplittableRandom(3), 1, 300);
    float[] out = new float[3];
    try (DjlPredictor djl = DjlPredictor.of(file)) {
      djl.step(x[0][0], out);
      int afterOne = djl.arrays();
      for (int t = 1; t < 300; t++) djl.step(x[0][t], out);
      assertThat(djl.arrays()).isEqualTo(afterOne);
      assertThat(JniUtils.isGradMode()).isFalse();
    }
  }
}
