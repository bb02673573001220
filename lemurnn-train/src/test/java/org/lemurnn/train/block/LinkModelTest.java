package org.lemurnn.train.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;
import org.lemurnn.testkit.TestData;

class LinkModelTest {
  static ModelSpec spec(CellType cell, int layers, int hidden) {
    return new ModelSpec(cell, layers, hidden, "bscq", "bd", UnitSystem.ABSTRACT, 1.0);
  }

  @Test
  void pytorchEngineLoadsOffline() {
    assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
  }

  /** The original's trained models, run by PyTorch: our blocks must give the same outputs. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "rnn_relu_l1_h8, RELU_RNN, 1, 8",
    "lstm_l2_h16, LSTM, 2, 16"
  })
  void matchesPytorchOnReferenceModels(String name, CellType cell, int layers, int hidden)
      throws IOException {
    Path dir = TestData.path("pytorch-models/" + name);
    JsonNode weights = new ObjectMapper()
        .readTree(dir.resolve("weights_" + name + ".json").toFile())
        .get("tensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    weights.properties().forEach(e -> {
      int[] shape = new int[e.getValue().get("shape").size()];
      for (int i = 0; i < shape.length; i++)
        shape[i] = e.getValue().get("shape").get(i).asInt();
      JsonNode data = e.getValue().get("data");
      float[] values = new float[data.size()];
      for (int i = 0; i < values.length; i++) values[i] = (float) data.get(i).asDouble();
      tensors.put(e.getKey(), new Tensor(shape, values));
    });
    JsonNode io = new ObjectMapper()
        .readTree(dir.resolve("reference_io_" + name + ".json").toFile());
    try (DjlPredictor predictor =
        DjlPredictor.of(new ModelFile(spec(cell, layers, hidden), tensors))) {
      for (JsonNode sequence : io.get("sequences")) {
        JsonNode input = sequence.get("input");
        float[][][] x = new float[1][input.size()][4];
        for (int t = 0; t < input.size(); t++) {
          for (int f = 0; f < 4; f++) x[0][t][f] = (float) input.get(t).get(f).asDouble();
        }
        float[][][] y = predictor.run(x);
        JsonNode backlog = sequence.get("outputs").get("backlog");
        JsonNode logits = sequence.get("outputs").get("drop_logits");
        for (int t = 0; t < input.size(); t++) {
          assertClose(y[0][t][0], backlog.get(t).asDouble());
          assertClose(y[0][t][1], logits.get(t).get(0).asDouble());
          assertClose(y[0][t][2], logits.get(t).get(1).asDouble());
        }
      }
    }
  }

  private static void assertClose(float actual, double expected) {
    assertThat((double) actual).isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void stepByStepEqualsWholeSequenceAndSurvivesTheFile(CellType cell, @TempDir Path dir) {
    ModelFile file;
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      file = LinkModel.create(spec(cell, 2, 5), 0.0, manager, 7).toModelFile();
    }
    file.write(dir.resolve("m.safetensors"));
    ModelFile reread = ModelFile.read(dir.resolve("m.safetensors"));
    assertThat(reread.tensors()).isEqualTo(file.tensors());
    float[][][] x = randomInputs(new SplittableRandom(3), 2, 30);
    try (DjlPredictor predictor = DjlPredictor.of(reread)) {
      float[][][] whole = predictor.run(x);
      float[] out = new float[3];
      for (int b = 0; b < 2; b++) {
        predictor.reset();
        for (int t = 0; t < 30; t++) {
          predictor.step(x[b][t], out);
          for (int k = 0; k < 3; k++) assertThat(out[k]).isCloseTo(whole[b][t][k], within(1e-5f));
        }
      }
    }
  }

  /**
   * Inference (no grad mode) and training may take different libtorch kernels; they must agree
   * (libtorch's LSTM op did not).
   */
  @ParameterizedTest
  @EnumSource(CellType.class)
  void inferenceEqualsTrainingForward(CellType cell) {
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      LinkModel model = LinkModel.create(spec(cell, 2, 5), 0.0, manager, 9);
      float[][][] x = randomInputs(new SplittableRandom(4), 3, 20);
      float[] flat = new float[3 * 20 * 4];
      for (int b = 0; b < 3; b++)
        for (int t = 0; t < 20; t++) System.arraycopy(x[b][t], 0, flat, (b * 20 + t) * 4, 4);
      var input = manager.create(flat, new ai.djl.ndarray.types.Shape(3, 20, 4));
      var store = new ai.djl.training.ParameterStore(manager, false);
      float[] inference =
          model.forward(store, new ai.djl.ndarray.NDList(input), false).head().toFloatArray();
      float[] training;
      try (var collector = Engine.getInstance().newGradientCollector()) {
        training =
            model.forward(store, new ai.djl.ndarray.NDList(input), true).head().toFloatArray();
      }
      for (int i = 0; i < inference.length; i++)
        assertThat(inference[i]).isCloseTo(training[i], within(1e-5f));
    }
  }

  @ParameterizedTest
  @EnumSource(CellType.class)
  void namesParametersLikeThePytorchStateDict(CellType cell) {
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      Map<String, Tensor> t =
          LinkModel.create(spec(cell, 3, 6), 0.0, manager, 1).tensors();
      String p = cell.parameterPrefix();
      assertThat(t.keySet())
          .contains(
              p + ".weight_ih_l0",
              p + ".weight_hh_l2",
              p + ".bias_ih_l2",
              p + ".bias_hh_l1",
              "fc.weight",
              "fc.bias");
      assertThat(t).hasSize(3 * 4 + 2);
      assertThat(t.get(p + ".weight_ih_l0").shape()).containsExactly(cell.gates() * 6, 4);
      assertThat(t.get(p + ".weight_ih_l1").shape()).containsExactly(cell.gates() * 6, 6);
      assertThat(t.get("fc.weight").shape()).containsExactly(3, 6);
      float bound = (float) (1 / Math.sqrt(6));
      for (Tensor tensor : t.values()) {
        for (float v : tensor.data()) assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
      }
    }
  }

  /**
   * The ReLU-LSTM against the formula of docs/architecture.md, Models, computed here in plain Java,
   * 2 layers.
   */
  @Test
  void reluLstmFollowsTheDesignFormulaOnEveryLayer() {
    ModelFile file;
    try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      file = LinkModel.create(spec(CellType.RELU_LSTM, 2, 3), 0.0, manager, 11).toModelFile();
    }
    float[][][] x = randomInputs(new SplittableRandom(5), 1, 12);
    float[][][] y;
    try (DjlPredictor predictor = DjlPredictor.of(file)) {
      y = predictor.run(x);
    }
    int hidden = 3;
    double[][] h = new double[2][hidden], c = new double[2][hidden];
    for (int t = 0; t < 12; t++) {
      double[] in = new double[4];
      for (int f = 0; f < 4; f++) in[f] = x[0][t][f];
      for (int l = 0; l < 2; l++) {
        double[] g = new double[4 * hidden];
        Tensor wih = file.tensor("lstm.weight_ih_l" + l), whh = file.tensor("lstm.weight_hh_l" + l);
        Tensor bih = file.tensor("lstm.bias_ih_l" + l), bhh = file.tensor("lstm.bias_hh_l" + l);
        for (int r = 0; r < 4 * hidden; r++) {
          double s = bih.data()[r] + bhh.data()[r];
          for (int k = 0; k < in.length; k++) s += wih.data()[r * in.length + k] * in[k];
          for (int k = 0; k < hidden; k++) s += whh.data()[r * hidden + k] * h[l][k];
          g[r] = s;
        }
        for (int j = 0; j < hidden; j++) {
          double i = sigm(g[j]),
              f = sigm(g[hidden + j]),
              o = sigm(g[2 * hidden + j]),
              cand = relu(g[3 * hidden + j]);
          c[l][j] = f * c[l][j] + i * cand;
          h[l][j] = o * relu(c[l][j]);
        }
        in = h[l].clone();
      }
      Tensor fw = file.tensor("fc.weight"), fb = file.tensor("fc.bias");
      for (int k = 0; k < 3; k++) {
        double s = fb.data()[k];
        for (int j = 0; j < hidden; j++) s += fw.data()[k * hidden + j] * h[1][j];
        assertThat((double) y[0][t][k]).isCloseTo(s, within(1e-4 * Math.max(1, Math.abs(s))));
      }
    }
  }

  private static double sigm(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private static double relu(double v) {
    return Math.max(0, v);
  }

  static float[][][] randomInputs(SplittableRandom random, int batch, int steps) {
    float[][][] x = new float[batch][steps][4];
    for (float[][] seq : x)
      for (float[] row : seq) for (int f = 0; f < 4; f++) row[f] = (float) random.nextDouble(-2, 2);
    return x;
  }
}
