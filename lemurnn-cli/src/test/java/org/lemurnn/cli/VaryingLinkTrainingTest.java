package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.model.ModelFile;
import org.lemurnn.testkit.TestData;

/**
 * A link whose rate changes (issue 16): an ideal queue at the mean rate cannot show its fades, and
 * a model trained on a few of its traces must. Links served by a real cellular delivery schedule
 * ({@code testdata/mahimahi/}).
 */
class VaryingLinkTrainingTest {
  @Test
  void aShortTrainingOnVaryingRateFilesHasALongerTailThanTheIdealQueueOnAFileItNeverSaw(
      @TempDir Path dir) throws Exception {
    Path traces = dir.resolve("traces");
    // offered 1 to 3.5 Mbit/s on a schedule of 5 Mbit/s on average: a queue at the mean rate is
    // short, the fades make it long
    Path preset = dir.resolve("light.json");
    Files.writeString(
        preset,
        "{\"units\": \"physical\", \"min_arrival_rate\": 1, \"max_arrival_rate\": 3.5,"
            + " \"min_capacity\": 5, \"max_capacity\": 5, \"min_pkt_size\": 0.06,"
            + " \"max_pkt_size\": 1.4, \"min_queue_bytes\": 0, \"max_queue_bytes\": 0}");
    Cli generate = Cli.run(
        "generate",
        "--link_properties",
        preset.toString(),
        "--mahimahi",
        TestData.path("mahimahi/Verizon-LTE-short.down").toString(),
        "--num",
        "6",
        "--seq_len",
        "3000",
        "--infinite_queue", // the tail is then the fades' alone: the ideal queue at the mean rate
        // has none
        "--data_seed",
        "3",
        "--out",
        traces.toString());
    assertThat(generate.exitCode()).as(generate.err()).isZero();
    List<Path> files;
    try (Stream<Path> s = Files.list(traces)) {
      files = s.sorted().toList();
    }
    Path train = Files.createDirectories(dir.resolve("train"));
    for (Path f : files.subList(0, 5)) Files.move(f, train.resolve(f.getFileName()));
    Path heldOut = files.get(5);

    Cli cli = Cli.run(
        "train",
        "--fit_links",
        "--dag_data",
        train.toString(),
        "--window",
        "256",
        "--burn_in",
        "128",
        "--inputs",
        "Bscqix",
        "-s",
        "8",
        "-e",
        "8",
        "-r",
        "0.01",
        "--seq_len",
        "3000",
        "--kilo_training_samples",
        "0.6",
        "--kilo_val_samples",
        "0.2",
        "--kilo_test_samples",
        "0.2",
        "--data_seed",
        "1",
        "--torch_seed",
        "1",
        "--out",
        dir.resolve("runs").toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Path run;
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    Path model = run.resolve("model-best.safetensors");
    // the fit saw the rate change: the model carries a rate process
    assertThat(ModelFile.read(model).spec().prior().rates()).isNotNull();
    assertThat(run.resolve("fitted-links.tsv")).content().contains("rate per 100 ms window");

    Path json = dir.resolve("eval.json");
    Cli eval = Cli.run(
        "evaluate",
        "-m",
        model.toString(),
        "--dag_data",
        heldOut.toString(),
        "--json",
        json.toString());
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    JsonNode mean = new ObjectMapper().readTree(json.toFile()).get("mean");
    double modelP99 = mean.get("model").get("figures").get("latency_p99_ms").asDouble();
    double idealP99 = mean.get("baseline").get("figures").get("latency_p99_ms").asDouble();
    double trueP99 = mean.get("true").get("latency_p99_ms").asDouble();
    assertThat(modelP99)
        .as(
            "p99 of the model, the ideal queue and the truth: %.1f, %.1f, %.1f ms",
            modelP99, idealP99, trueP99)
        .isGreaterThan(idealP99);
  }
}
