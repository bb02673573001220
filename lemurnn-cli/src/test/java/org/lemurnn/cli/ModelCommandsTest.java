package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.testkit.TestData;

/** predict, import and info on the original project's reference models. */
class ModelCommandsTest {
  static final Path MODELS = TestData.path("pytorch-models");

  @TempDir
  Path tmp;

  static Stream<Path> modelFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(MODELS)) {
      for (Path dir : dirs.sorted().toList()) {
        try (Stream<Path> f = Files.list(dir)) {
          f.filter(p ->
                  p.getFileName().toString().matches("modelstate-(torchscript-)?\\d+\\.(pt|json)"))
              .sorted()
              .forEach(files::add);
        }
      }
    }
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("modelFiles")
  void predictReproducesPyTorch(Path model) throws IOException {
    checkPredict(model, model);
  }

  @ParameterizedTest
  @MethodSource("modelFiles")
  void importedModelPredictsAlike(Path model) throws IOException {
    Path imported = tmp.resolve("model.safetensors");
    Cli result = Cli.run("import", model.toString(), "--out", imported.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    Cli info = Cli.run("info", imported.toString());
    assertThat(info.out())
        .containsPattern("type +drop(relurnn|lstm)")
        .contains("units       abstract");
    checkPredict(model, imported);
  }

  @Test
  void featureColumnsMayComeInAnyOrder() throws IOException {
    Path model = MODELS.resolve("rnn_relu_l1_h8/modelstate-25.json");
    Path a = Files.writeString(
        tmp.resolve("a.tsv"), "b\ts\tc\tq\n10\t500\t800\t9000\n20\t700\t800\t9000\n");
    Path b = Files.writeString(tmp.resolve("b.tsv"), "q c s b\n9000 800 500 10\n9000 800 700 20\n");
    Cli fromA = Cli.run("predict", "-m", model.toString(), "--features", a.toString());
    Cli fromB = Cli.run("predict", "-m", model.toString(), "--features", b.toString());
    assertThat(fromA.exitCode()).as(fromA.err()).isZero();
    assertThat(fromB.exitCode()).as(fromB.err()).isZero();
    assertThat(fromA.out().lines()).as("one line per row").hasSize(2);
    assertThat(fromB.out()).isEqualTo(fromA.out());
  }

  @Test
  void aMissingFeatureIsAOneLineErrorNamingTheFile() throws IOException {
    Path bad = Files.writeString(tmp.resolve("bad.tsv"), "b s c\n1 2 3\n");
    Cli result = Cli.run(
        "predict",
        "-m",
        MODELS.resolve("rnn_relu_l1_h8/modelstate-25.json").toString(),
        "--features",
        bad.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip())
        .startsWith("lemurnn: " + bad + ":1:")
        .contains("lacks feature 'q'")
        .doesNotContain("Exception");
  }

  @Test
  void aBadNumberIsAnErrorAtItsLine() throws IOException {
    Path bad = Files.writeString(tmp.resolve("bad.tsv"), "b s c q\n1 2 3 4\n\n1 2 x 4\n");
    Cli result = Cli.run(
        "predict",
        "-m",
        MODELS.resolve("rnn_relu_l1_h8/modelstate-25.json").toString(),
        "--features",
        bad.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err().strip()).isEqualTo("lemurnn: " + bad + ":4: 'x' is not a number");
  }

  @Test
  void importRefusesToGuessUnits() throws IOException {
    Path alone = Files.copy(
        MODELS.resolve("rnn_relu_l1_h8/modelstate-torchscript-25.pt"), tmp.resolve("m.pt"));
    Cli result = Cli.run(
        "import", alone.toString(), "--out", tmp.resolve("m.safetensors").toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("--units");
    assertThat(tmp.resolve("m.safetensors")).doesNotExist();
    assertThat(Cli.run(
                "import",
                alone.toString(),
                "--units",
                "physical-kbit",
                "--out",
                tmp.resolve("m.safetensors").toString())
            .exitCode())
        .isZero();
    assertThat(Cli.run("info", tmp.resolve("m.safetensors").toString()).out())
        .contains("units       physical-kbit");
  }

  private void checkPredict(Path reference, Path model) throws IOException {
    String name = reference.getParent().getFileName().toString();
    JsonNode io = new ObjectMapper()
        .readTree(reference.resolveSibling("reference_io_" + name + ".json").toFile());
    for (JsonNode seq : io.path("sequences")) {
      StringBuilder features = new StringBuilder("b\ts\tc\tq\n");
      for (JsonNode row : seq.path("input")) {
        features
            .append(row.get(0).floatValue())
            .append('\t')
            .append(row.get(1).floatValue())
            .append('\t')
            .append(row.get(2).floatValue())
            .append('\t')
            .append(row.get(3).floatValue())
            .append('\n');
      }
      Path file = Files.writeString(tmp.resolve("features.tsv"), features);
      Cli result = Cli.run("predict", "-m", model.toString(), "--features", file.toString());
      assertThat(result.exitCode()).as(result.err()).isZero();
      String[] lines = result.out().strip().split("\n");
      assertThat(lines).hasSize(seq.path("input").size());
      for (int t = 0; t < lines.length; t++) {
        String[] cells = lines[t].split("\t");
        assertClose(
            Double.parseDouble(cells[0]),
            seq.path("outputs").path("backlog").get(t).asDouble());
        assertClose(
            Double.parseDouble(cells[1]),
            seq.path("outputs").path("drop_logits").get(t).get(0).asDouble());
        assertClose(
            Double.parseDouble(cells[2]),
            seq.path("outputs").path("drop_logits").get(t).get(1).asDouble());
      }
    }
  }

  private static void assertClose(double actual, double expected) {
    double tolerance = 1e-4 * Math.max(1, Math.abs(expected));
    assertThat(actual).isBetween(expected - tolerance, expected + tolerance);
  }
}
