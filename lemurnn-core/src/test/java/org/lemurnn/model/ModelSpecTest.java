package org.lemurnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;

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
}
