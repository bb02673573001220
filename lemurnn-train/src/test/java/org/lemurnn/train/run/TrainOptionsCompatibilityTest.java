package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;

/**
 * Runs written before the options became records (test resource run-from-main, see its README)
 * still resume.
 */
class TrainOptionsCompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FILES = List.of(
      "model-properties.json",
      "modelstate-0.safetensors",
      "training_history.json",
      "training_log.dat",
      "dataset-properties.json",
      "link-properties.json",
      "model-0.safetensors");

  private static Path copyRun(Path to) throws IOException {
    for (String name : FILES) {
      try (InputStream in =
          TrainOptionsCompatibilityTest.class.getResourceAsStream("run-from-main/" + name)) {
        assertThat(in).as("test resource run-from-main/" + name).isNotNull();
        Files.copy(in, to.resolve(name));
      }
    }
    return to;
  }

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in =
        TrainOptionsCompatibilityTest.class.getResourceAsStream("run-from-main/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void theOldFlatOptionsReadAsTheRecordsAndWriteBackTheSameKeysAndValues() throws IOException {
    JsonNode old = resource("model-properties.json").get("options");
    TrainOptions options = RunDirectory.JSON.treeToValue(old, TrainOptions.class);
    assertThat(options.model()).isEqualTo(new TrainOptions.Model(CellType.LSTM, 1, 4, null));
    assertThat(options.loss()).isEqualTo(new TrainOptions.Loss(Objective.DEFAULT, false, false));
    assertThat(options.link())
        .isEqualTo(new TrainOptions.Link(List.of(), List.of(), LinkKind.BYTEQUEUE, false, null));
    assertThat(options.sizes())
        .isEqualTo(new TrainOptions.Sizes(32, 0.05, 0.02, 0.02, false, 0, 0));
    assertThat(options.seeds()).isEqualTo(new TrainOptions.Seeds(7, 3));
    assertThat(options.schedule()).isEqualTo(new TrainOptions.Schedule(1, 0.001, 0.0, null));

    JsonNode written = JSON.readTree(RunDirectory.JSON.writeValueAsString(options));
    old.fieldNames()
        .forEachRemaining(key -> assertThat(written.get(key)).as(key).isEqualTo(old.get(key)));
    assertThat(RunDirectory.JSON.treeToValue(written, TrainOptions.class)).isEqualTo(options);
  }

  /**
   * Runs before fit_links kept trust_names (true: the names; false: fitted), runs before the fit
   * neither (the names); fit_links reads back as written.
   */
  @Test
  void howLinksWereFittedReadsFromEveryVersionOfTheFile() throws IOException {
    ObjectNode options = (ObjectNode) resource("model-properties.json").get("options");
    assertThat(TrainOptions.fromJson(options).fitLinks()).isEqualTo(LinkFitting.NEVER);
    options.put("trust_names", false);
    assertThat(TrainOptions.fromJson(options).fitLinks()).isEqualTo(LinkFitting.ALWAYS);
    options.put("fit_links", "varying");
    TrainOptions varying = TrainOptions.fromJson(options);
    assertThat(varying.fitLinks()).isEqualTo(LinkFitting.VARYING);
    JsonNode written = JSON.readTree(RunDirectory.JSON.writeValueAsString(varying));
    assertThat(written.get("fit_links").asText()).isEqualTo("varying");
    assertThat(written.get("trust_names").asBoolean()).isFalse();
  }

  @Test
  void twoModelTypesInAFileAreRefusedAsOnTheCommandLine() throws IOException {
    ObjectNode both = (ObjectNode) resource("model-properties.json").get("options");
    both.put("gru", true);
    assertThatThrownBy(() -> TrainOptions.fromJson(both))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("choose one model type");
  }

  /**
   * Training losses are compared within this relative tolerance, not bit for bit: libtorch's CPU
   * kernels pick vectorized paths by the processor and the thread count, so the same epoch on
   * another machine of the same kind differs in the last digits of a float (seen: 0.5669402 against
   * 0.5669400). Anything that is not a number (the keys, their order, the best-model flag) must be
   * the same text.
   */
  private static final double LOSS_RELATIVE_TOLERANCE = 1e-4;

  /**
   * The resumed epoch is the one main computed in a run that never stopped (expected-epoch-1.json).
   */
  @Test
  void aRunWrittenByTheOldMainResumesToTheSameNextEpoch(@TempDir Path dir) throws IOException {
    Path run = copyRun(dir);
    TrainingRun.resume(run, 2, 1, new RunListener() {}).run();
    List<String> history = Files.readAllLines(run.resolve("training_history.json"));
    assertThat(history).hasSize(2);
    JsonNode expected = resource("expected-epoch-1.json"), actual = JSON.readTree(history.get(1));
    // the same keys in the same order, the same values but the time an epoch took
    assertSameRow("", expected, actual);
    assertThat(JSON.readTree(run.resolve("model-properties.json").toFile())
            .at("/options/num_epochs")
            .asInt())
        .isEqualTo(2);
    assertThat(run.resolve("modelstate-1.safetensors")).exists();
  }

  private static void assertSameRow(String path, JsonNode expected, JsonNode actual) {
    if (path.equals("/seconds")) return;
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path).isTrue();
      assertThat(List.copyOf(listOf(actual.fieldNames())))
          .as(path + " keys")
          .containsExactlyElementsOf(List.copyOf(listOf(expected.fieldNames())));
      expected
          .fieldNames()
          .forEachRemaining(k -> assertSameRow(path + "/" + k, expected.get(k), actual.get(k)));
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path + " length").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertSameRow(path + "/" + i, expected.get(i), actual.get(i));
      }
    } else if (expected.isFloatingPointNumber()) {
      double want = expected.asDouble();
      assertThat(actual.asDouble())
          .as(path)
          .isCloseTo(want, within(Math.abs(want) * LOSS_RELATIVE_TOLERANCE + 1e-9));
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }

  private static <T> List<T> listOf(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
