package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;
import org.lemurnn.train.run.BudgetRecipe;
import org.lemurnn.train.run.FlagDefaults;
import org.lemurnn.train.run.RunPlan;
import org.lemurnn.train.run.TrainOptions;

class TrainCommandTest {
  @Test
  void trainsAndPrintsOneSummaryLinePerEpoch(@TempDir Path out) throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Main.run(
          "train",
          "-e",
          "2",
          "-s",
          "4",
          "--kilo_training_samples",
          "0.0625",
          "--kilo_val_samples",
          "0.03125",
          "--kilo_test_samples",
          "0.03125",
          "--seq_len",
          "16",
          "--data_seed",
          "0",
          "--torch_seed",
          "0",
          "--out",
          out.toString());
    } finally {
      System.setOut(original);
    }
    assertThat(code).isZero();
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines().filter(l -> l.startsWith("epoch "))).hasSize(2);
    assertThat(printed).contains("epoch 0/1  train ").contains("epoch 1/1  train ");
    try (Stream<Path> runs = Files.list(out)) {
      Path run = runs.findFirst().orElseThrow();
      assertThat(run.getFileName().toString())
          .startsWith("model-trainer_bx-droprelurnn-l1_h4-bytequeue_bscq_bd-");
      // seed 0 is a seed, recorded as given
      assertThat(Files.readString(run.resolve("model-properties.json")))
          .contains("\"data_seed\":0", "\"torch_seed\":0");
    }
  }

  /**
   * A run says what it made: the model to use (model-best, by validation loss on the original's
   * synthetic data), model-last, a bounded number of checkpoints, and the command to judge it.
   */
  @Test
  void aRunEndsWithItsModelAndKeepsFewCheckpoints(@TempDir Path out) throws Exception {
    Cli cli = Cli.run(
        "train",
        "-e",
        "6",
        "-s",
        "4",
        "--kilo_training_samples",
        "0.0625",
        "--kilo_val_samples",
        "0.03125",
        "--kilo_test_samples",
        "0.03125",
        "--seq_len",
        "16",
        "--data_seed",
        "3",
        "--torch_seed",
        "3",
        "--keep_checkpoints",
        "2",
        "--out",
        out.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Path run;
    try (Stream<Path> runs = Files.list(out)) {
      run = runs.findFirst().orElseThrow();
    }
    assertThat(run.resolve("model-best.safetensors")).isRegularFile();
    assertThat(run.resolve("model-last.safetensors")).isRegularFile();
    try (Stream<Path> files = Files.list(run)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names.stream().filter(n -> n.startsWith("modelstate-"))).hasSizeBetween(1, 2);
      assertThat(names.stream().filter(n -> n.matches("model-\\d+\\.safetensors")))
          .hasSizeBetween(1, 2);
    }
    assertThat(cli.out())
        .contains("done: " + run + " (6 epochs)")
        .contains("the model to use: " + run.resolve("model-best.safetensors"))
        .contains("next: ./lemurnn evaluate -m " + run + " --link_properties default");
    // -e at or below what the run has done is refused, not a silent 'done'
    Cli again = Cli.run("train", "--resume", run.toString(), "-e", "6");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("has trained 6 epochs already");
  }

  @Test
  void conflictingModelTypesAreAUsageError() {
    assertThat(Main.run("train", "--lstm", "--gru")).isEqualTo(2);
    assertThat(Main.run("train", "--energy", "--earthmover")).isEqualTo(2);
  }

  /**
   * Each flag lands in its group: the link kind comes from the shared LinkOptions, as in generate
   * and evaluate.
   */
  @Test
  void flagsBuildTheOptionGroups(@TempDir Path dir) throws Exception {
    Path schedule = Files.writeString(dir.resolve("link.down"), "1\n2\n");
    TrainCommand command = new TrainCommand();
    new picocli.CommandLine(command)
        .parseArgs(
            "--gru",
            "--earthmover",
            "--drop_masking",
            "-l",
            "2",
            "-s",
            "16",
            "--link_properties",
            "daglike",
            "--mahimahi",
            schedule.toString(),
            "--traffic",
            "cbr",
            "--seq_len",
            "64",
            "--window",
            "32",
            "--burn_in",
            "8",
            "--data_seed",
            "5",
            "--torch_seed",
            "6",
            "-e",
            "3",
            "-r",
            "0.01");
    TrainOptions options = command.options();
    assertThat(options.model()).isEqualTo(new TrainOptions.Model(CellType.GRU, 2, 16, null));
    assertThat(options.loss().objective()).isEqualTo(Objective.EARTHMOVER);
    assertThat(options.loss().dropMasking()).isTrue();
    assertThat(options.link().kind()).isEqualTo(LinkKind.MAHIMAHI);
    assertThat(options.link().mahimahi())
        .isEqualTo(schedule.toAbsolutePath().normalize().toString());
    assertThat(options.link().traffic()).containsExactly("cbr");
    assertThat(options.sizes().window()).isEqualTo(32);
    assertThat(options.sizes().burnIn()).isEqualTo(8);
    assertThat(options.seeds()).isEqualTo(new TrainOptions.Seeds(5, 6));
    assertThat(options.schedule().numEpochs()).isEqualTo(3);
    assertThat(new RunPlan(options).dataSpec().schedule()).isNotNull();
    assertThat(new RunPlan(options).runName("mahimahi", 1))
        .isEqualTo("model-trainer_bxe1_dropmask-dropgru-l2_h16-mahimahi_bscq_bd_window32-1");
  }

  /** --fit_links alone fits always; a budget fits where the rate varies; else the names. */
  @Test
  void linksAreFittedAsToldAndABudgetFitsThemWhereTheRateVaries() {
    assertThat(fitting()).isEqualTo(LinkFitting.NEVER);
    assertThat(fitting("--budget_minutes", "1")).isEqualTo(LinkFitting.VARYING);
    assertThat(fitting("--fit_links")).isEqualTo(LinkFitting.ALWAYS);
    assertThat(fitting("--budget_minutes", "1", "--fit_links=never")).isEqualTo(LinkFitting.NEVER);
    Cli wrong = Cli.run("train", "--fit_links=sometimes", "--dag_data", "x");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("--fit_links must be always, varying or never");
  }

  /**
   * --budget_minutes changes what the flags left out are (the recipe's model, windows, inputs,
   * whole files, epochs and file split); a flag given wins over the recipe, one by one, and the
   * recipe's hidden size is for its own ReLU RNN only.
   */
  @Test
  void aBudgetChoosesForTheFlagsLeftOutAndAFlagGivenWins() {
    TrainOptions recipe = parsed("--budget_minutes", "1");
    assertThat(recipe.model())
        .isEqualTo(new TrainOptions.Model(
            CellType.RELU_RNN, 1, BudgetRecipe.HIDDEN_SIZE, BudgetRecipe.INPUTS));
    assertThat(recipe.sizes())
        .isEqualTo(new TrainOptions.Sizes(
            BudgetRecipe.WHOLE_FILES,
            BudgetRecipe.TRAIN_FILES,
            BudgetRecipe.VAL_FILES,
            BudgetRecipe.TEST_FILES,
            false,
            BudgetRecipe.WINDOW,
            BudgetRecipe.BURN_IN));
    assertThat(recipe.schedule().numEpochs()).isEqualTo(BudgetRecipe.UNTIL_THE_BUDGET_ENDS);

    TrainOptions given = parsed(
        "--budget_minutes",
        "1",
        "-s",
        "4",
        "--inputs",
        "bscq",
        "--burn_in",
        "10",
        "-e",
        "7",
        "--kilo_val_samples",
        "0.2",
        "--seq_len",
        "4096");
    assertThat(given.model()).isEqualTo(new TrainOptions.Model(CellType.RELU_RNN, 1, 4, "bscq"));
    assertThat(given.sizes())
        .isEqualTo(new TrainOptions.Sizes(
            4096,
            BudgetRecipe.TRAIN_FILES,
            0.2,
            BudgetRecipe.TEST_FILES,
            false,
            BudgetRecipe.WINDOW,
            10));
    assertThat(given.schedule().numEpochs()).isEqualTo(7);

    assertThat(parsed("--budget_minutes", "1", "--lstm").model().hiddenSize())
        .as("another model type keeps the original's size")
        .isEqualTo(FlagDefaults.HIDDEN_SIZE);
    // without a budget the original's defaults, and --burn_in needs --window
    TrainOptions plain = parsed("--data_seed", "1", "--torch_seed", "2"),
        original = TrainOptions.defaults(1, 2);
    assertThat(plain.model()).isEqualTo(original.model());
    assertThat(plain.sizes()).isEqualTo(original.sizes());
    assertThat(plain.schedule()).isEqualTo(original.schedule());
    assertThat(plain.fitLinks()).isEqualTo(original.fitLinks());
    assertThat(Main.run("train", "--burn_in", "10")).isEqualTo(2);
  }

  private static TrainOptions parsed(String... args) {
    TrainCommand command = new TrainCommand();
    new picocli.CommandLine(command).parseArgs(args);
    return command.options();
  }

  private static LinkFitting fitting(String... args) {
    TrainCommand command = new TrainCommand();
    new picocli.CommandLine(command).parseArgs(args);
    return command.options().fitLinks();
  }

  @Test
  void twoLinkKindsAreAUsageError() {
    assertThat(Main.run("train", "--codel", "--packetqueue")).isEqualTo(2);
  }
}
