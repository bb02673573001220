package org.lemurnn.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;

class FeatureTableTest {
  @TempDir
  Path tmp;

  @Test
  void columnsComeInTheModelsOrder() throws IOException {
    Path file =
        Files.writeString(tmp.resolve("f.txt"), "# features\nq c s b\n4 3 2 1\n40\t30\t20\t10\n");
    float[][] rows = FeatureTable.read(file, "bscq");
    assertThat(rows).hasDimensions(2, 4);
    assertThat(rows[0]).containsExactly(1, 2, 3, 4);
    assertThat(rows[1]).containsExactly(10, 20, 30, 40);
  }

  @Test
  void refusesAHeaderNamingAFeatureTwice() throws IOException {
    Path file = Files.writeString(tmp.resolve("f.txt"), "# features\nb s c q b\n1 2 3 4 5\n");
    assertThatThrownBy(() -> FeatureTable.read(file, "bscq"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(file + ":2:")
        .hasMessageContaining("names feature 'b' twice");
  }
}
