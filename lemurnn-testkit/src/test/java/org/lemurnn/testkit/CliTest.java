package org.lemurnn.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Commands themselves are run by lemurnn-cli's tests; here the CLI is not on the class path. */
class CliTest {
  @Test
  void withoutTheCliOnTheClassPathItSaysWhatIsMissing() {
    assertThatThrownBy(() -> Cli.run("--help"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cli.run needs org.lemurnn.cli.Main.run(String...) on the test class path");
  }
}
