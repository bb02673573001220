package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.testkit.TestData;

/**
 * Nonsense a new user typed (issue 20): each a usage error, exit code 2, one line naming the flag
 * and where the help is, before any work is done.
 */
class RefusalsTest {
  private static final String MODEL = RunModelCommandTest.RNN_PT.toString();
  private static final String TRACES = TestData.path("kernel-tbf/train").toString();

  static Stream<Arguments> nonsense() {
    return Stream.of(
        Arguments.of("--drop_threshold", new String[] {
          "evaluate", "-m", MODEL, "--dag_data", TRACES, "--drop_threshold", "0.2"
        }),
        Arguments.of("--drop_threshold", new String[] {
          "evaluate",
          "-m",
          MODEL,
          "--dag_data",
          TRACES,
          "--drop_rule",
          "threshold",
          "--drop_threshold",
          "2"
        }),
        Arguments.of(
            "--drop_rule",
            new String[] {"evaluate", "-m", MODEL, "--dag_data", TRACES, "--drop_rule", "maybe"}),
        Arguments.of("--units", new String[] {"info", MODEL, "--units", "foo"}),
        Arguments.of(
            "--budget_minutes",
            new String[] {"train", "--dag_data", TRACES, "--budget_minutes", "0"}),
        Arguments.of("--num", new String[] {
          "generate", "--link_properties", "daglike", "--num", "0", "--out", "unused"
        }),
        Arguments.of("--lstm", new String[] {"train", "--resume", "no-such-run", "--lstm"}),
        Arguments.of("--keep_checkpoints", new String[] {"train", "--keep_checkpoints", "-1"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonsense")
  void isAUsageErrorOfOneLine(String flag, String[] args) {
    Cli cli = Cli.run(args);
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).hasLineCount(1).contains(flag).contains("--help')");
    assertThat(cli.err()).doesNotContain("Exception");
  }
}
