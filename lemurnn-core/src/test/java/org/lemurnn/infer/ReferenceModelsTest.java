package org.lemurnn.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.torch.TorchFile;

/** Our cells reproduce what PyTorch computed with the original project's models. */
class ReferenceModelsTest {
  static Stream<Arguments> files() throws Exception {
    return ReferenceModels.all()
        .flatMap(m -> Stream.of(
            Arguments.of(m, m.torchScript(), "scalar"), Arguments.of(m, m.torchScript(), "vector"),
            Arguments.of(m, m.stateFile(), "scalar"), Arguments.of(m, m.stateFile(), "vector")));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("files")
  void reproducesPyTorchOutputsAndFinalState(ReferenceModels.Model m, Path file, String kernel) {
    ModelFile model = TorchFile.read(file, null);
    assertThat(model.spec().units()).isEqualTo(UnitSystem.ABSTRACT); // synthetic bytequeue data
    CellPredictor p = Predictors.of(model, kernel.equals("scalar") ? Kernel.SCALAR : Kernel.best());
    float[] out = new float[Predictor.OUTPUTS];
    for (ReferenceModels.Sequence s : m.sequences()) {
      p.reset();
      for (int t = 0; t < s.input().length; t++) {
        p.step(s.input()[t], out);
        assertClose(out[Predictor.BACKLOG], s.backlog()[t], s.name() + " backlog at step " + t);
        assertClose(
            out[Predictor.DROP_LOGIT_0], s.logits()[t][0], s.name() + " logit 0 at step " + t);
        assertClose(
            out[Predictor.DROP_LOGIT_1], s.logits()[t][1], s.name() + " logit 1 at step " + t);
      }
      for (int l = 0; l < s.h().length; l++) {
        float[] h = p.hidden(l);
        for (int j = 0; j < h.length; j++)
          assertClose(h[j], s.h()[l][j], s.name() + " h[" + l + "][" + j + "]");
      }
      for (int l = 0; l < s.c().length; l++) {
        float[] c = p.cell(l);
        for (int j = 0; j < c.length; j++)
          assertClose(c[j], s.c()[l][j], s.name() + " c[" + l + "][" + j + "]");
      }
    }
  }

  /**
   * 1e-4 relative; values below 1 in magnitude (saturated gates, zeros) are compared to 1e-4
   * absolute.
   */
  static void assertClose(float actual, float expected, String what) {
    double tolerance = 1e-4 * Math.max(1, Math.abs(expected));
    assertThat((double) actual).as(what).isBetween(expected - tolerance, expected + tolerance);
  }
}
