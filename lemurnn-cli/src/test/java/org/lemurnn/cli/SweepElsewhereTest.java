package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code sweep} lives in the lemurnn-sweep module (Apache Spark), off this class path: --help lists
 * it all the same, and it says where it runs.
 */
class SweepElsewhereTest {
  @Test
  void helpListsSweepWhichSaysWhereItRuns() {
    Cli help = Cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).containsPattern("\\n +sweep +Many trainings as one Apache Spark job");

    Cli sweep = Cli.run("sweep", "--spec", "s.json", "--out", "x");
    assertThat(sweep.exitCode()).isEqualTo(1);
    assertThat(sweep.err()).hasLineCount(1).contains("start it with ./lemurnn sweep");
  }

  @Test
  void noSparkClassIsOnTheCommandLinesClassPath() {
    assertThat(getClass().getClassLoader().getResource("org/apache/spark/SparkContext.class"))
        .isNull();
  }
}
