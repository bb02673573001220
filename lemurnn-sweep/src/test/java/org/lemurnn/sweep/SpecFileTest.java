package org.lemurnn.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.InputException;
import org.lemurnn.testkit.TestData;

/** A sweep's spec: what it may say, the trials it expands to, and what it refuses. */
class SpecFileTest {
  private static final Path SPEC = Path.of("sweep.json");
  private static final String DATA =
      "\"data\": {\"dag_data\": [\"" + TestData.path("kernel-tbf/train") + "\"]}";

  private static SweepSpec parse(String json) {
    return SpecFile.parse(SPEC, json);
  }

  private static List<List<String>> args(List<Trial> trials) {
    return trials.stream().map(Trial::trainArgs).toList();
  }

  @Test
  void aGridIsEveryCombinationItsFirstOptionSlowest() {
    SweepSpec spec = parse("{" + DATA + ", \"base\": {\"budget_minutes\": 2, \"data_seed\": 1},"
        + " \"grid\": {\"hidden_size\": [16, 32], \"inputs\": [\"Bscqix\", \"bscq\"],"
        + " \"lstm\": [false, true]}}");
    List<Trial> trials = spec.trials();
    assertThat(trials).hasSize(8);
    assertThat(trials.stream().map(Trial::id)).startsWith("t001", "t002").endsWith("t008");
    String traces =
        TestData.path("kernel-tbf/train").toAbsolutePath().normalize().toString();
    assertThat(trials.get(0).trainArgs())
        .containsExactly(
            "--dag_data",
            traces,
            "--budget_minutes",
            "2",
            "--data_seed",
            "1",
            "--hidden_size",
            "16",
            "--inputs",
            "Bscqix");
    assertThat(trials.get(1).trainArgs())
        .endsWith("--hidden_size", "16", "--inputs", "Bscqix", "--lstm");
    assertThat(trials.get(2).trainArgs()).endsWith("--hidden_size", "16", "--inputs", "bscq");
    assertThat(trials.get(7).trainArgs())
        .endsWith("--hidden_size", "32", "--inputs", "bscq", "--lstm");
    assertThat(spec.axes().stream().map(TrainFlag::name))
        .containsExactly("hidden_size", "inputs", "lstm");
  }

  @Test
  void randomDrawsAreTheSameForTheSameSeedAndStayInTheirRanges() {
    String random = "{" + DATA + ", \"random\": {\"trials\": 20, \"seed\": %d,"
        + " \"learning_rate\": [0.0001, 0.01], \"hidden_size\": [4, 64],"
        + " \"num_layers\": {\"one_of\": [1, 2]}, \"inputs\": [\"Bscqix\", \"bscq\", \"bscqix\"]}}";
    List<Trial> one = parse(random.formatted(7)).trials(),
        again = parse(random.formatted(7)).trials();
    List<Trial> other = parse(random.formatted(8)).trials();
    assertThat(one).hasSize(20);
    assertThat(args(again)).isEqualTo(args(one));
    assertThat(args(other)).isNotEqualTo(args(one));
    TrainFlag rate = TrainFlag.named("learning_rate").orElseThrow(),
        hidden = TrainFlag.named("hidden_size").orElseThrow(),
        layers = TrainFlag.named("num_layers").orElseThrow();
    for (Trial t : one) {
      assertThat(t.valueOf(rate).orElseThrow().number()).isBetween(0.0001, 0.01);
      double h = t.valueOf(hidden).orElseThrow().number();
      assertThat(h).isBetween(4.0, 64.0);
      assertThat(h).isEqualTo(Math.rint(h));
      assertThat(t.valueOf(layers).orElseThrow().text()).isIn("1", "2");
    }
    // twenty draws of a range of 61 whole numbers do not all land on a few of them
    assertThat(one.stream()
            .map(t -> t.valueOf(hidden).orElseThrow().text())
            .distinct()
            .count())
        .isGreaterThan(5);
  }

  @Test
  void aGridAndRandomDrawsGiveEveryDrawAtEveryGridPoint() {
    SweepSpec spec = parse("{" + DATA + ", \"grid\": {\"hidden_size\": [8, 16, 32]},"
        + " \"random\": {\"trials\": 2, \"learning_rate\": [0.001, 0.01]}}");
    List<Trial> trials = spec.trials();
    assertThat(trials).hasSize(6);
    // the same two draws at each grid point
    TrainFlag rate = TrainFlag.named("learning_rate").orElseThrow();
    assertThat(trials.get(0).valueOf(rate)).isEqualTo(trials.get(2).valueOf(rate));
    assertThat(trials.get(1).valueOf(rate)).isEqualTo(trials.get(5).valueOf(rate));
  }

  @Test
  void aBadSpecIsNamedWithItsFileAndKey() {
    assertThatThrownBy(() -> parse("{" + DATA + ", \"grid\": {\"hiden_size\": [8]}}"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(
            "sweep.json: grid.hiden_size: train has no option --hiden_size;" + " its options: ")
        .hasMessageContaining("hidden_size, ")
        .hasMessageContaining("budget_minutes");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"base\": {\"hidden_size\": \"big\"}}"))
        .hasMessage("sweep.json: base.hidden_size: '\"big\"' is not a whole number");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"base\": {\"lstm\": 1}}"))
        .hasMessage("sweep.json: base.lstm: true or false (--lstm is a switch)");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"base\": {\"out\": \"x\"}}"))
        .hasMessageContaining("base.out: the sweep sets --out itself");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"grid\": {\"hidden_size\": 8}}"))
        .hasMessage("sweep.json: grid.hidden_size: a list of the values it takes");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"base\": {\"hidden_size\": 8},"
            + " \"grid\": {\"hidden_size\": [8]}}"))
        .hasMessage("sweep.json: hidden_size is in both base and grid: give it in one");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"random\": {\"hidden_size\": [8, 9]}}"))
        .hasMessageContaining("random.trials: how many draws");
    assertThatThrownBy(() -> parse("{\"base\": {\"hidden_size\": 8}}"))
        .hasMessageContaining("data: give dag_data");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"grdi\": {}}"))
        .hasMessage(
            "sweep.json: unknown key 'grdi' (a spec has data, base, grid, random and heldout)");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"heldout\": \"x\"}"))
        .hasMessage(
            "sweep.json: heldout: a list of trace files or folders (evaluate's --dag_data)");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"heldout\": [\"no/such/folder\"]}"))
        .hasMessage("sweep.json: heldout: no/such/folder does not exist");
    assertThatThrownBy(() -> parse("{" + DATA + ", \"grid\": {\"hidden_size\": [8,]}}"))
        .hasMessageStartingWith("sweep.json: is not valid JSON (line 1");
  }

  @Test
  void heldOutFilesAreEveryTrialsAbsoluteAndNotTrainsOptions() {
    Path heldout = TestData.path("kernel-tbf/held-out");
    SweepSpec spec = parse("{" + DATA + ", \"heldout\": [\"" + heldout + "\"],"
        + " \"grid\": {\"hidden_size\": [8, 16]}}");
    for (Trial t : spec.trials()) {
      assertThat(t.heldout())
          .containsExactly(heldout.toAbsolutePath().normalize().toString());
      assertThat(t.trainArgs())
          .doesNotContain(heldout.toAbsolutePath().normalize().toString());
    }
    assertThat(parse("{" + DATA + "}").trials().getFirst().heldout()).isEmpty();
  }

  @Test
  void aYamlSpecGivesTheTrialsOfTheSameJson() {
    String traces = TestData.path("kernel-tbf/train").toString();
    SweepSpec json = parse("{\"data\": {\"dag_data\": [\"" + traces + "\"]},"
        + " \"base\": {\"budget_minutes\": 2, \"lstm\": true},"
        + " \"grid\": {\"hidden_size\": [16, 32], \"inputs\": [\"Bscqix\", \"bscqix\"]},"
        + " \"random\": {\"trials\": 2, \"seed\": 3, \"learning_rate\": [0.0003, 0.003]}}");
    SweepSpec yaml = SpecFile.parse(Path.of("sweep.yaml"), """
        data:
          dag_data: [%s]
        base:
          budget_minutes: 2
          lstm: true
        grid:
          hidden_size: [16, 32]
          inputs: [Bscqix, bscqix]
        random:
          trials: 2
          seed: 3
          learning_rate: [0.0003, 0.003]
        """.formatted(traces));
    assertThat(yaml.trials()).isEqualTo(json.trials()).hasSize(8);
    assertThatThrownBy(() -> SpecFile.parse(Path.of("sweep.yml"), "grid:\n  hidden_size: [8\n"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("sweep.yml: is not valid YAML (line ");
    assertThatThrownBy(() -> SpecFile.parse(Path.of("sweep.yml"), "base: 1\nbase: 2\n"))
        .hasMessageStartingWith("sweep.yml: is not valid YAML");
  }

  @Test
  void hyphensMayStandForUnderscores() {
    SweepSpec spec = parse("{" + DATA + ", \"base\": {\"budget-minutes\": 0.5}}");
    assertThat(spec.trials().getFirst().trainArgs()).endsWith("--budget_minutes", "0.5");
  }
}
