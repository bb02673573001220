package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.data.FileSplit;
import org.lemurnn.testkit.TestData;
import org.lemurnn.train.run.SplitsFile;

/**
 * A run's folder stands for its best model wherever a model is asked for, and {@code evaluate
 * --run} scores it on the files the run held out (its splits.json).
 */
class RunFolderTest {
  private static final Path HELD_OUT =
      TestData.path("kernel-tbf/held-out/mgtrace_C2_L0_Q23880_1796218071_44.csv");
  private static final Path TRAIN =
      TestData.path("kernel-tbf/train/mgtrace_C2_L0_Q20204_1796218071_33.csv");

  @TempDir
  Path tmp;

  /** A run folder as train leaves it: model files and the split of its files. */
  private Path run(String bestName) throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Cli imported = Cli.run(
        "import",
        RunModelCommandTest.RNN_PT.toString(),
        "--out",
        run.resolve(bestName).toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    SplitsFile.write(run, new FileSplit(List.of(TRAIN), List.of(), List.of(HELD_OUT)));
    return run;
  }

  @Test
  void evaluateRunScoresTheBestModelOnTheHeldOutFiles() throws Exception {
    Path run = run("model-best.safetensors");
    Cli cli = Cli.run("evaluate", "--run", run.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.err())
        .contains("evaluating " + run.resolve("model-best.safetensors") + " on the 1 file(s)");
    assertThat(cli.out())
        .contains(HELD_OUT.getFileName().toString().replace(".csv", ""))
        .doesNotContain(TRAIN.getFileName().toString().replace(".csv", ""));
  }

  @Test
  void aFolderWithoutModelBestStandsForItsNewestEpochModel() throws Exception {
    Path run = run("model-7.safetensors");
    Files.copy(run.resolve("model-7.safetensors"), run.resolve("model-12.safetensors"));
    Cli info = Cli.run("info", run.toString());
    assertThat(info.exitCode()).as(info.err()).isZero();
    assertThat(info.out()).contains("file        " + run.resolve("model-12.safetensors"));
    Cli runModel = Cli.run("run-model", "-m", run.toString(), "--dag_data", HELD_OUT.toString());
    assertThat(runModel.exitCode()).as(runModel.err()).isZero();
  }

  @Test
  void refusalsSayWhatToGive() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Cli info = Cli.run("info", empty.toString());
    assertThat(info.exitCode()).isEqualTo(1);
    assertThat(info.err()).contains("holds no model").hasLineCount(1);

    Path run = run("model-best.safetensors");
    Files.delete(run.resolve(SplitsFile.NAME));
    Cli noSplit = Cli.run("evaluate", "--run", run.toString());
    assertThat(noSplit.exitCode()).isEqualTo(1);
    assertThat(noSplit.err()).contains("records no held-out files").contains("--dag_data");

    Cli noModel = Cli.run("evaluate", "--dag_data", HELD_OUT.toString());
    assertThat(noModel.exitCode()).isEqualTo(2);
    assertThat(noModel.err()).contains("--model=MODEL");

    Cli notAFolder = Cli.run("evaluate", "--run", HELD_OUT.toString());
    assertThat(notAFolder.exitCode()).isEqualTo(2);
  }

  @Test
  void aCheckpointIsNamedAsSuchWhereAModelIsAsked() throws Exception {
    Path run = tmp.resolve("resume");
    Cli train = Cli.run(
        "train",
        "-e",
        "1",
        "--kilo_training_samples",
        "0.064",
        "--kilo_val_samples",
        "0.032",
        "--kilo_test_samples",
        "0.032",
        "--seq_len",
        "32",
        "--out",
        run.toString());
    assertThat(train.exitCode()).as(train.err()).isZero();
    Path checkpoint;
    try (var files = Files.walk(run)) {
      checkpoint = files
          .filter(p -> p.getFileName().toString().startsWith("modelstate-"))
          .findFirst()
          .orElseThrow();
    }
    Cli info = Cli.run("info", checkpoint.toString());
    assertThat(info.exitCode()).isEqualTo(1);
    assertThat(info.err()).contains("a training checkpoint (for train --resume), not a model");
  }
}
