package org.lemurnn.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

/**
 * A sweep in Spark's local mode, as a user runs it: tiny trainings on the kernel-tbf test files,
 * each evaluated on the files its run held out, ranked; a trial with a value train refuses is
 * recorded and the others go on; --resume runs only what is missing.
 */
class LocalSweepTest {
  @TempDir
  Path tmp;

  /** Three trials of two epochs each; the third one's learning rate train refuses. */
  private Path spec() throws Exception {
    Path spec = tmp.resolve("sweep.json");
    Files.writeString(spec, """
        {"data": {"dag_data": ["%s"]},
         "base": {"num_epochs": 2, "hidden_size": 4, "seq_len": 256, "data_seed": 1, "torch_seed": 1},
         "grid": {"learning_rate": [0.01, 0.003, -1]}}
        """.formatted(TestData.path("kernel-tbf/train")));
    return spec;
  }

  @Test
  void trialsAreRankedByHeldOutScoreAFailureIsRecordedAndResumeRunsOnlyWhatIsMissing()
      throws Exception {
    Path out = tmp.resolve("sweep");
    // the results as the first trial to end is reported (in the driver, before the others' ends
    // and before the sweep's last write): written already, with that trial alone
    List<String> firstLine = new ArrayList<>();
    List<JsonNode> resultsThen = new ArrayList<>();
    SweepRun run = SweepRun.of(
        line -> {
          if (!line.matches("trial t00\\d \\(1 of 3\\): .*")) return;
          firstLine.add(line);
          try {
            resultsThen.add(
                new ObjectMapper().readTree(out.resolve("results.json").toFile()));
          } catch (java.io.IOException e) {
            resultsThen.add(null);
          }
        },
        "--spec",
        spec().toString(),
        "--out",
        out.toString(),
        "--parallel",
        "2");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(firstLine).hasSize(1);
    assertThat(resultsThen.getFirst())
        .as("results.json as the first trial ended")
        .isNotNull();
    assertThat(resultsThen.getFirst().get("trials")).hasSize(1);
    assertThat(firstLine.getFirst())
        .startsWith(
            "trial " + resultsThen.getFirst().get("trials").get(0).get("trial").asText());
    assertThat(run.out())
        .contains("3 trials; 2 at once on this machine (Spark local mode)")
        .contains("trial t003 (")
        .contains("best: t00");

    // results.json: the two that trained, ranked by score, then the failed one with its error
    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    JsonNode trials = results.get("trials");
    assertThat(trials).hasSize(3);
    assertThat(trials.get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(trials.get(1).get("rank").asInt()).isEqualTo(2);
    double first = trials.get(0).get("figures").get("score").asDouble(),
        second = trials.get(1).get("figures").get("score").asDouble();
    assertThat(first).isLessThanOrEqualTo(second).isPositive();
    for (int i = 0; i < 2; i++) {
      JsonNode figures = trials.get(i).get("figures");
      assertThat(trials.get(i).get("status").asText()).isEqualTo("ok");
      assertThat(figures.get("drop_error_points").isNumber()).isTrue();
      assertThat(figures.get("latency_p99_error_percent").isNumber()).isTrue();
      assertThat(figures.get("latency_w1_ms").isNumber()).isTrue();
      assertThat(figures.get("ideal_score").isNumber()).isTrue();
      assertThat(trials.get(i).get("seconds").asDouble()).isPositive();
      // each trial is an ordinary run folder that evaluate scored on its held-out files
      Path runDir = Path.of(trials.get(i).get("run").asText());
      assertThat(runDir.getParent())
          .isEqualTo(out.resolve("trials").resolve(trials.get(i).get("trial").asText()));
      assertThat(runDir.resolve("model-best.safetensors")).isRegularFile();
      assertThat(runDir.resolve("splits.json")).isRegularFile();
    }
    JsonNode failed = trials.get(2);
    assertThat(failed.get("trial").asText()).isEqualTo("t003");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("rank").isNull()).isTrue();
    assertThat(failed.get("error").asText()).contains("--learning_rate must be > 0");
    assertThat(failed.get("options").get("learning_rate").asText()).isEqualTo("-1");

    // results.csv: the same rows in the same order, the varied option as a column
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv.getFirst())
        .startsWith("rank,trial,status,learning_rate,score,drop_error_points,"
            + "latency_p99_error_percent,latency_w1_ms,ideal_score,seconds,run,error");
    assertThat(csv).hasSize(4);
    assertThat(csv.get(1)).startsWith("1," + trials.get(0).get("trial").asText() + ",ok,");
    assertThat(csv.get(3)).startsWith(",t003,failed,-1,,,,,,");

    // best/: the winner's model, as its run folder holds it
    Path bestRun = Path.of(trials.get(0).get("run").asText());
    assertThat(Files.readAllBytes(out.resolve("best/model-best.safetensors")))
        .isEqualTo(Files.readAllBytes(bestRun.resolve("model-best.safetensors")));
    assertThat(out.resolve("best/evaluation.json")).isRegularFile();
    assertThat(out.resolve("plots/learning_rate.png")).isRegularFile();

    // a sweep's folder is not run over by a new sweep
    SweepRun again = SweepRun.of("--spec", spec().toString(), "--out", out.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("holds a sweep already: give --resume");

    // Ctrl-C's leftovers: t002 not finished. --resume runs it, and only it
    String t002 = "t002";
    Path t002Dir = out.resolve("trials").resolve(t002);
    Files.delete(t002Dir.resolve("trial.json"));
    List<FileTime> before = new ArrayList<>();
    for (String t : List.of("t001", "t003"))
      before.add(Files.getLastModifiedTime(out.resolve("trials").resolve(t).resolve("trial.json")));
    SweepRun resumed = SweepRun.of("--out", out.toString(), "--resume", "--parallel", "1");
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out())
        .contains("3 trials (2 finished before: 1 to run)")
        .contains("trial t002 (1 of 1)")
        .doesNotContain("trial t001 (", "trial t003 (");
    assertThat(t002Dir.resolve("trial.json")).isRegularFile();
    for (int i = 0; i < 2; i++) {
      String t = List.of("t001", "t003").get(i);
      assertThat(Files.getLastModifiedTime(out.resolve("trials").resolve(t).resolve("trial.json")))
          .isEqualTo(before.get(i));
    }
    assertThat(new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("trials"))
        .hasSize(3);
  }
}
