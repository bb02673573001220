package org.lemurnn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class TestDataTest {
  @Test
  void findsTheRepositorysDataFromAModuleDirectory() {
    assertThat(TestData.path("README.md"))
        .isAbsolute()
        .isRegularFile()
        .isEqualTo(TestData.projectRoot().resolve("testdata/README.md"));
    assertThat(TestData.path("traces")).isDirectory();
  }

  @Test
  void aMissingFileIsNamedWithHowToRestoreIt() {
    assertThatThrownBy(() -> TestData.path("traces/no-such-trace.csv"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("test data testdata/traces/no-such-trace.csv is missing")
        .hasMessageContaining("git checkout -- testdata")
        .hasMessageContaining("testdata/README.md");
  }

  @Test
  void aPathOutsideTheFolderIsRefused() {
    assertThat(Files.exists(TestData.projectRoot().resolve("pom.xml"))).isTrue();
    assertThatThrownBy(() -> TestData.path("../pom.xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("../pom.xml is outside testdata/");
  }

  /** Every file the README's table names is there, and every file there is in the table. */
  @Test
  void theReadmeAccountsForEveryFile() throws Exception {
    String readme = Files.readString(TestData.path("README.md"));
    try (var files = Files.walk(TestData.path(""))) {
      for (var f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.equals("README.md")) continue;
        String folder = TestData.path("").relativize(f.getParent()).toString();
        assertThat(readme)
            .as("README mentions %s or its folder", f)
            .containsAnyOf(name, folder + "/");
      }
    }
  }
}
