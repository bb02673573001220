package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.train.loss.Objective;

class TrainingRunTest {
  /** Threads of the recurrent core, as lemurnn train uses by default. */
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tiny runs: 64 training, 32 val, 32 test sequences of 16 packets, hidden 4. */
  static TrainOptions tiny(int epochs, String... flags) {
    List<String> f = List.of(flags);
    CellType cell = f.contains("tanh")
        ? CellType.TANH_RNN
        : f.contains("relu_lstm")
            ? CellType.RELU_LSTM
            : f.contains("lstm")
                ? CellType.LSTM
                : f.contains("gru") ? CellType.GRU : CellType.RELU_RNN;
    Objective trainer = f.contains("energy")
        ? Objective.ENERGY
        : f.contains("earthmover") ? Objective.EARTHMOVER : Objective.DEFAULT;
    return new TrainOptions(
        new TrainOptions.Model(cell, f.contains("layers2") ? 2 : 1, 4, null),
        new TrainOptions.Loss(trainer, f.contains("drop_masking"), f.contains("ads")),
        new TrainOptions.Link(
            List.of("default"),
            f.contains("traffic") ? List.of("exponential", "cbr") : List.of(),
            LinkKind.BYTEQUEUE,
            false,
            null),
        new TrainOptions.Sizes(
            16,
            0.0625,
            0.03125,
            0.03125,
            f.contains("multiloader"),
            f.contains("window") ? 8 : 0,
            f.contains("window") ? 4 : 0),
        new TrainOptions.Seeds(10, 1),
        new TrainOptions.Schedule(epochs, 0.01, f.contains("dropout") ? 0.2 : 0.0, null),
        List.of(),
        f.contains("normalize"),
        f.contains("track_grad"),
        LinkFitting.ALWAYS);
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(List.of(), "model-trainer_bx-droprelurnn-l1_h4-bytequeue_bscq_bd-"),
        Arguments.of(
            List.of("tanh", "earthmover", "normalize"),
            "model-trainer_bxe1-droptanhrnn-l1_h4-bytequeue_bscq_bd_normalize-"),
        Arguments.of(
            List.of("lstm", "energy", "dropout"),
            "model-trainer_energy-droplstm-l1_h4_dr0.2-bytequeue_bscq_bd-"),
        Arguments.of(
            List.of("gru", "drop_masking", "ads", "traffic", "multiloader"),
            "model-trainer_bx_dropmask-dropgru-l1_h4-bytequeue_bscq_bd_multiloader-"),
        Arguments.of(
            List.of("relu_lstm", "layers2", "track_grad", "normalize"),
            "model-trainer_bx-droprelulstm-l2_h4-bytequeue_bscq_bd_normalize-"));
  }

  @ParameterizedTest
  @MethodSource("variants")
  void writesEveryFileWithTheExpectedFields(
      List<String> flags, String namePrefix, @TempDir Path out) throws IOException {
    TrainOptions options = tiny(2, flags.toArray(String[]::new));
    Path dir = TrainingRun.start(options, out, THREADS, new RunListener() {}).run();
    assertThat(dir.getFileName().toString()).startsWith(namePrefix);

    JsonNode model = JSON.readTree(dir.resolve("model-properties.json").toFile());
    assertThat(model.get("model_type").asText())
        .isEqualTo(options.model().cell().originalName());
    assertThat(model.get("num_layers").asInt()).isEqualTo(options.model().numLayers());
    assertThat(model.get("options").get("torch_seed").asLong()).isEqualTo(1);
    JsonNode dataset = JSON.readTree(dir.resolve("dataset-properties.json").toFile());
    assertThat(dataset.get("num_training_samples").asInt()).isEqualTo(64);
    assertThat(dataset.get("seq_length_training").size())
        .isEqualTo(flags.contains("multiloader") ? DataSpec.MULTILOADER_LENGTHS.size() : 1);
    assertThat(dataset.has("traffic")).isTrue();
    assertThat(dataset.has("dag_data")).isTrue();
    assertThat(JSON.readTree(dir.resolve("link-properties.json").toFile())
            .get("max_capacity")
            .asDouble())
        .isEqualTo(1000);

    List<String> history = Files.readAllLines(dir.resolve("training_history.json"));
    assertThat(history).hasSize(2);
    for (int e = 0; e < 2; e++) {
      JsonNode line = JSON.readTree(history.get(e));
      assertThat(line.get("epoch").asInt()).isEqualTo(e);
      for (String field :
          List.of("learning_rate", "best_model", "train_loss", "val_loss", "test_loss")) {
        assertThat(line.get(field).isNumber()).as(field).isTrue();
        assertThat(line.get(field).asDouble()).as(field).isFinite();
      }
      assertThat(line.get("train_loss_details").has("backlog_l1")).isTrue();
      assertThat(line.get("val_loss_details").has("wasserstein")).isTrue();
      assertThat(line.get("test_loss_details").has("droprate")).isTrue();
      assertThat(line.get("val_loss_details").has("ads_r16")).isEqualTo(flags.contains("ads"));
      assertThat(line.get("test_loss_details").has("cbr/backlog_l1"))
          .isEqualTo(flags.contains("traffic"));
    }
    List<String> log = Files.readAllLines(dir.resolve("training_log.dat"));
    String header =
        log.stream().filter(l -> l.startsWith("# epoch")).findFirst().orElseThrow();
    List<String> rows = log.stream().filter(l -> !l.startsWith("#")).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.getFirst().split("\t")).hasSameSizeAs(header.substring(2).split("\t"));

    int best = JSON.readTree(history.get(1)).get("best_model").asInt();
    assertThat(dir.resolve("modelstate-" + best + ".safetensors")).exists();
    assertThat(dir.resolve("BD_plot_test_sample0_epoch" + best + ".png")).exists();
    ModelFile exported = ModelFile.read(dir.resolve("model-" + best + ".safetensors"));
    assertThat(exported.spec().cell()).isEqualTo(options.model().cell());
    assertThat(exported.spec().layers()).isEqualTo(options.model().numLayers());
    assertThat(exported.spec().normScale())
        .isEqualTo(new RunPlan(options).dataSpec().normScale());
    String prefix = options.model().cell().parameterPrefix();
    assertThat(exported.tensors()).containsKeys(prefix + ".weight_ih_l0", "fc.weight", "fc.bias");
    if (options.model().numLayers() == 2)
      assertThat(exported.tensors()).containsKey(prefix + ".weight_hh_l1");
    assertThat(Files.exists(dir.resolve("grad-tracker-" + dir.getFileName() + ".dat")))
        .isEqualTo(flags.contains("track_grad"));
  }

  @Test
  void divergenceStopsWithAnErrorThatSaysWhatToDo(@TempDir Path out) {
    TrainOptions base = TrainOptions.defaults(10, 1);
    TrainOptions options = new TrainOptions(
        new TrainOptions.Model(CellType.RELU_LSTM, 2, 16, null),
        base.loss(),
        base.link(),
        new TrainOptions.Sizes(64, 0.0625, 0.03125, 0.03125, false, 0, 0),
        base.seeds(),
        new TrainOptions.Schedule(3, 10.0, 0.0, null),
        List.of(),
        false,
        false,
        LinkFitting.ALWAYS);
    TrainingRun run = TrainingRun.start(options, out, THREADS, new RunListener() {});
    assertThatThrownBy(run::run)
        .isInstanceOf(InputException.class)
        .hasMessageContaining("diverged")
        .hasMessageContaining("--learning_rate");
  }

  /**
   * A run stopped after epoch 1 and resumed computes epoch 2 exactly as a run that never stopped.
   */
  @Test
  void resumeGivesTheSameNextEpoch(@TempDir Path a, @TempDir Path b) throws IOException {
    Path whole =
        TrainingRun.start(tiny(3, "dropout"), a, THREADS, new RunListener() {}).run();
    Path stopped =
        TrainingRun.start(tiny(2, "dropout"), b, THREADS, new RunListener() {}).run();
    // as if stopped before epoch 1 was saved: its history and log lines are dropped and it runs
    // again
    Files.delete(stopped.resolve("modelstate-1.safetensors"));
    Path resumed = TrainingRun.resume(stopped, 3, THREADS, new RunListener() {}).run();
    assertThat(resumed).isEqualTo(stopped);
    // the new epoch count is kept for a later plain --resume
    assertThat(JSON.readTree(resumed.resolve("model-properties.json").toFile())
            .at("/options/num_epochs")
            .asInt())
        .isEqualTo(3);
    List<String> expected = Files.readAllLines(whole.resolve("training_history.json"));
    List<String> actual = Files.readAllLines(resumed.resolve("training_history.json"));
    assertThat(actual).hasSize(3);
    for (int e = 0; e < 3; e++) {
      JsonNode x = JSON.readTree(expected.get(e)), y = JSON.readTree(actual.get(e));
      for (String field : List.of(
          "train_loss",
          "val_loss",
          "test_loss",
          "best_model",
          "train_loss_details",
          "val_loss_details",
          "test_loss_details")) {
        assertThat(y.get(field)).as("epoch " + e + " " + field).isEqualTo(x.get(field));
      }
    }
    assertThat(Files.readAllLines(resumed.resolve("training_log.dat")).stream()
            .filter(l -> !l.startsWith("#")))
        .hasSize(3);
  }

  /** Edits a run's model-properties.json; returns its new text. */
  private static String editOptions(Path run, Consumer<ObjectNode> edit) throws IOException {
    Path properties = run.resolve("model-properties.json");
    ObjectNode model = (ObjectNode) JSON.readTree(properties.toFile());
    edit.accept(model);
    String text = JSON.writeValueAsString(model);
    Files.writeString(properties, text);
    return text;
  }

  @Test
  void resumeRefusesACheckpointWithOtherSeeds(@TempDir Path out) throws IOException {
    TrainOptions options = tiny(1);
    Path run = TrainingRun.start(options, out, THREADS, new RunListener() {}).run();
    long otherTorchSeed = options.seeds().torchSeed() + 1,
        otherDataSeed = options.seeds().dataSeed() + 1;
    String properties = editOptions(
        run,
        model -> ((ObjectNode) model.get("options"))
            .put("torch_seed", otherTorchSeed)
            .put("data_seed", otherDataSeed));

    assertThatThrownBy(() -> TrainingRun.resume(run, 2, THREADS, new RunListener() {}))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(run.resolve("modelstate-0.safetensors").toString())
        .hasMessageContaining("saved with torch_seed " + options.seeds().torchSeed()
            + " and data_seed " + options.seeds().dataSeed())
        .hasMessageContaining(
            "has torch_seed " + otherTorchSeed + " and data_seed " + otherDataSeed);
    // the failed resume did not write its epoch count
    assertThat(Files.readString(run.resolve("model-properties.json"))).isEqualTo(properties);
  }

  @Test
  void resumeWithoutOptionsSaysToStartANewRun(@TempDir Path out) throws IOException {
    Path run = TrainingRun.start(tiny(1), out, THREADS, new RunListener() {}).run();
    editOptions(run, model -> model.remove("options"));

    assertThatThrownBy(() -> TrainingRun.resume(run, null, THREADS, new RunListener() {}))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(run.resolve("model-properties.json").toString())
        .hasMessageContaining("no 'options'")
        .hasMessageContaining("start a new run");
  }
}
