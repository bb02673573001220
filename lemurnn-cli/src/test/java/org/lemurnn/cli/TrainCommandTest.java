package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @Test
  void trainsAndPrintsOneSummaryLinePerEpoch(@TempDir Path out) throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Main.run("train", "-e", "2", "-s", "4", "--kilo_training_samples", "0.0625", "--kilo_val_samples",
          "0.03125", "--kilo_test_samples", "0.03125", "--seq_len", "16", "--data_seed", "0", "--torch_seed", "0",
          "--out", out.toString());
    } finally {
      System.setOut(original);
    }
    assertThat(code).isZero();
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines().filter(l -> l.startsWith("epoch "))).hasSize(2);
    assertThat(printed).contains("epoch 0/1  train ").contains("epoch 1/1  train ");
    try (Stream<Path> runs = Files.list(out)) {
      Path run = runs.findFirst().orElseThrow();
      assertThat(run.getFileName().toString()).startsWith("model-trainer_bx-droprelurnn-l1_h4-bytequeue_bscq_bd-");
      // seed 0 is a seed, recorded as given
      assertThat(Files.readString(run.resolve("model-properties.json"))).contains("\"data_seed\":0", "\"torch_seed\":0");
    }
  }

  @Test
  void conflictingModelTypesAreAUsageError() {
    assertThat(Main.run("train", "--lstm", "--gru")).isEqualTo(2);
    assertThat(Main.run("train", "--energy", "--earthmover")).isEqualTo(2);
  }
}
