package org.lemurnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;

class ModelSpecTest {
  @Test
  void aShapeNamesTypeLayersAndHidden() {
    ModelSpec lstm = ModelSpec.ofShape("lstm:3x64", UnitSystem.PHYSICAL);
    assertThat(lstm.cell()).isEqualTo(CellType.LSTM);
    assertThat(lstm.layers()).isEqualTo(3);
    assertThat(lstm.hidden()).isEqualTo(64);
    assertThat(lstm.units()).isEqualTo(UnitSystem.PHYSICAL);
    assertThat(lstm.inputStr()).isEqualTo("bscq");
  }

  @Test
  void theOriginalsDropPrefixIsOptional() {
    assertThat(ModelSpec.ofShape("droprelurnn:1x8", UnitSystem.ABSTRACT))
        .isEqualTo(ModelSpec.ofShape("relurnn:1x8", UnitSystem.ABSTRACT));
    assertThat(ModelSpec.ofShape("relurnn:1x8", UnitSystem.ABSTRACT).cell())
        .isEqualTo(CellType.RELU_RNN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lstm:3",
        "lstm:0x8",
        "lstm:2x0",
        "cnn:1x8",
        "lstm:1x8x2",
        "lstm:99999999x8",
        "LSTM:1x8",
        ""
      })
  void refusesWhatIsNotAShape(String text) {
    assertThatThrownBy(() -> ModelSpec.ofShape(text, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("TYPE:LAYERSxHIDDEN")
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void aFittedPriorGoesIntoTheFileAndComesBack(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    LinkPrior prior = new LinkPrior(LinkPrior.QueueUnit.PACKETS, 0.98, 1.37, 1.02);
    ModelSpec spec = new ModelSpec(CellType.RELU_RNN, 1, 4, "Bscqix", "bd", UnitSystem.PHYSICAL, 1)
        .withPrior(prior)
        .withDropRule("sample");
    java.nio.file.Path file = dir.resolve("m.safetensors");
    RandomWeights.of(spec, 1).write(file);
    assertThat(ModelFile.read(file).spec()).isEqualTo(spec);
    // a model of names taken at their word says nothing of a prior, and reads back as such
    ModelSpec named = spec.withPrior(LinkPrior.NOMINAL);
    RandomWeights.of(named, 1).write(file);
    assertThat(ModelFile.metadata(named)).doesNotContainKey("prior_queue_unit");
    assertThat(ModelFile.read(file).spec().prior()).isEqualTo(LinkPrior.NOMINAL);
  }
}
