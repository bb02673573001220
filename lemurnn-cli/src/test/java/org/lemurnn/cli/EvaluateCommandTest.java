package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

class EvaluateCommandTest {
  static final Path[] FILES = {
    TestData.path("kernel-tbf/train/mgtrace_C2_L0_Q20204_1796218071_33.csv"), // 31% drops
    TestData.path("kernel-tbf/extra/mgtrace_C8_L0_Q5881_1796218071_5.csv"), // 14% drops
    TestData.path("kernel-tbf/extra/mgtrace_C10_L0_Q10143_1796218071_12.csv"), // none
  };
  static final String RNN_PT = RunModelCommandTest.RNN_PT.toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("evaluate", "-m", RNN_PT, "--dag_data"));
    for (Path f : FILES) a.add(f.toString());
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  /**
   * Drop rate (%) and nearest-rank p99 latency (ms) of a trace file, read from its rows directly.
   */
  private static double[] dropPercentAndP99(Path file) throws IOException {
    List<String> rows =
        Files.readAllLines(file).subList(1, Files.readAllLines(file).size());
    long drops = rows.stream().filter(r -> r.split("\t")[5].equals("1")).count();
    double[] latency = rows.stream()
        .filter(r -> r.split("\t")[5].equals("0"))
        .mapToDouble(r -> Double.parseDouble(r.split("\t")[4]) * 1000)
        .sorted()
        .toArray();
    return new double[] {
      100.0 * drops / rows.size(), latency[(int) Math.ceil(0.99 * latency.length) - 1]
    };
  }

  @Test
  void theTableAndTheJsonAgreeWithEachOtherAndWithTheFiles() throws IOException {
    Path json = tmp.resolve("fidelity.json"), plots = tmp.resolve("plots");
    Cli result = Cli.run(args("--json", json.toString(), "--plot", plots.toString()));
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode root = JSON.readTree(json.toFile());
    JsonNode traces = root.get("traces");
    assertThat(traces).hasSize(3);

    List<String> lines = result.out().lines().toList();
    for (int i = 0; i < FILES.length; i++) {
      JsonNode t = traces.get(i);
      String name = FILES[i].getFileName().toString();
      assertThat(t.get("trace").asText()).isEqualTo(name);
      // the truth from the file's own rows
      double[] expected = dropPercentAndP99(FILES[i]);
      assertThat(t.get("true").get("drop_percent").asDouble()).isCloseTo(expected[0], within(1e-9));
      assertThat(t.get("true").get("latency_p99_ms").asDouble())
          .isCloseTo(expected[1], within(1e-6));

      // the table's row carries the JSON's figures, rounded
      String row = lines.stream().filter(l -> l.startsWith(name)).findFirst().orElseThrow();
      String[] cells = row.replace("|", " ").trim().split("\\s+");
      JsonNode model = t.get("model"), ideal = t.get("baseline");
      assertThat(Double.parseDouble(cells[1])).isEqualTo(t.get("capacity_mbps").asDouble());
      assertThat(Double.parseDouble(cells[2]))
          .isCloseTo(t.get("queue_kbyte").asDouble(), within(5e-4));
      assertThat(Long.parseLong(cells[3])).isEqualTo(4000);
      assertThat(Double.parseDouble(cells[4]))
          .isCloseTo(t.get("true").get("drop_percent").asDouble(), within(0.005));
      assertThat(Double.parseDouble(cells[5]))
          .isCloseTo(model.get("figures").get("drop_percent").asDouble(), within(0.005));
      assertThat(Double.parseDouble(cells[6]))
          .isCloseTo(model.get("errors").get("drop_error_points").asDouble(), within(0.005));
      assertThat(Double.parseDouble(cells[7]))
          .isCloseTo(t.get("true").get("latency_p99_ms").asDouble(), within(5e-4));
      assertThat(Double.parseDouble(cells[8]))
          .isCloseTo(model.get("figures").get("latency_p99_ms").asDouble(), within(5e-4));
      assertThat(percent(cells[9]))
          .isCloseTo(model.get("errors").get("latency_p99_error_percent").asDouble(), within(0.05));
      assertThat(Double.parseDouble(cells[10]))
          .isCloseTo(model.get("errors").get("latency_w1_ms").asDouble(), within(5e-4));
      JsonNode physics = model.get("physics");
      assertThat(cells[11])
          .isEqualTo(physics.get("physics_delayed").asLong() + "/"
              + physics.get("physics_dropped").asLong());
      assertThat(Double.parseDouble(cells[12]))
          .isCloseTo(ideal.get("errors").get("drop_error_points").asDouble(), within(0.005));
      assertThat(percent(cells[13]))
          .isCloseTo(ideal.get("errors").get("latency_p99_error_percent").asDouble(), within(0.05));
      assertThat(Double.parseDouble(cells[14]))
          .isCloseTo(ideal.get("errors").get("latency_w1_ms").asDouble(), within(5e-4));
      // the error is the distance of the two figures
      assertThat(model.get("errors").get("drop_error_points").asDouble())
          .isCloseTo(
              Math.abs(model.get("figures").get("drop_percent").asDouble()
                  - t.get("true").get("drop_percent").asDouble()),
              within(1e-9));
      assertThat(plots.resolve(name.replace(".csv", ".png"))).isNotEmptyFile();
      assertThat(plots.resolve(name.replace(".csv", "-temporal.png"))).isNotEmptyFile();
      // the temporal table's row (the second of this trace) carries the JSON's temporal figures
      String[] temporal = lines.stream()
          .filter(l -> l.startsWith(name))
          .skip(1)
          .findFirst()
          .orElseThrow()
          .replace("|", " ")
          .trim()
          .split("\\s+");
      JsonNode mt = model.get("temporal"), it = ideal.get("temporal");
      assertThat(Double.parseDouble(temporal[1]))
          .isCloseTo(mt.get("window_mean_w1_ms").asDouble(), within(5e-4));
      assertThat(Double.parseDouble(temporal[2]))
          .isCloseTo(mt.get("window_mean_sd_true_ms").asDouble(), within(5e-4));
      assertThat(Double.parseDouble(temporal[7]))
          .isCloseTo(mt.get("latency_acf10_true").asDouble(), within(5e-4));
      assertThat(Double.parseDouble(temporal[11]))
          .isCloseTo(it.get("window_mean_w1_ms").asDouble(), within(5e-4));
      // the ideal queue sees the same true windows
      assertThat(it.get("window_mean_sd_true_ms").asDouble())
          .isEqualTo(mt.get("window_mean_sd_true_ms").asDouble());
    }
    // the mean row: the mean of the per-trace errors
    String meanRow =
        lines.stream().filter(l -> l.startsWith("mean of 3")).findFirst().orElseThrow();
    String[] cells = meanRow.replace("|", " ").trim().split("\\s+");
    double meanError = 0;
    for (JsonNode t : traces)
      meanError += t.get("model").get("errors").get("drop_error_points").asDouble() / 3;
    assertThat(
            root.get("mean").get("model").get("errors").get("drop_error_points").asDouble())
        .isCloseTo(meanError, within(1e-9));
    assertThat(Double.parseDouble(cells[6])).isCloseTo(meanError, within(0.005));
    assertThat(plots.resolve("drop-rate.png")).isNotEmptyFile();
    // the ideal queue is close on these drop-tail links: within 3 points on each
    for (JsonNode t : traces)
      assertThat(t.get("baseline").get("errors").get("drop_error_points").asDouble())
          .isLessThan(3);
  }

  private static double percent(String cell) {
    return Double.parseDouble(cell.replace("%", ""));
  }

  @Test
  void theJsonKeysAreTheDocumentedOnes() throws IOException {
    Path json = tmp.resolve("fidelity.json");
    assertThat(Cli.run(args("--json", json.toString())).exitCode()).isZero();
    Set<String> keys = new LinkedHashSet<>();
    paths(JSON.readTree(json.toFile()), "", keys);
    List<String> golden;
    try (InputStream in = getClass().getResourceAsStream("evaluate-json-keys.txt")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
    assertThat(new ArrayList<>(keys)).containsExactlyElementsOf(golden);
  }

  private static void paths(JsonNode node, String prefix, Set<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(e ->
              paths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
    } else if (node.isArray()) {
      for (JsonNode element : node) paths(element, prefix + "[]", out);
    } else {
      out.add(prefix);
    }
  }

  /** The traces are scored in parallel; one thread or four must give the same figures. */
  @Test
  void theFiguresDoNotDependOnTheThreadCount() throws Exception {
    String one = figures(1, tmp.resolve("one.json")), four = figures(4, tmp.resolve("four.json"));
    assertThat(four).isEqualTo(one);
  }

  private static String figures(int threads, Path json) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      // a parallel stream started inside a pool runs on that pool
      Cli result = pool.submit(() -> Cli.run(args("--json", json.toString()))).get();
      assertThat(result.exitCode()).as(result.err()).isZero();
      return Files.readString(json);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * On a synthetic set the ideal link is the generator's own: it reproduces every sample exactly.
   */
  @Test
  void onSyntheticDataTheIdealLinkIsExactAndTimesHaveNoMs() throws IOException {
    Path json = tmp.resolve("synthetic.json");
    Cli result = Cli.run(
        "evaluate",
        "-m",
        RNN_PT,
        "--link_properties",
        "default",
        "--num",
        "3",
        "--seq_len",
        "500",
        "--data_seed",
        "4",
        "--json",
        json.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode root = JSON.readTree(json.toFile());
    assertThat(root.get("units").asText()).isEqualTo("abstract");
    JsonNode mean = root.get("mean");
    assertThat(mean.get("true").get("drops").asLong()).isPositive();
    assertThat(mean.get("baseline").get("errors").get("drop_error_points").asDouble())
        .isZero();
    assertThat(mean.get("baseline").get("errors").get("latency_w1").asDouble()).isZero();
    assertThat(mean.get("model").get("errors").has("latency_w1_ms")).isFalse();
    assertThat(root.get("traces").get(0).has("capacity")).isTrue();
    assertThat(result.out()).contains("sample 2").contains("latency and W1 in time units");
  }

  /**
   * --prior_only runs the model's fitted link without its network: for a model that takes names at
   * their word that is the physical queue of the named C and Q (without a token bucket's burst),
   * which is the ideal queue.
   */
  @Test
  void thePriorAloneOfAModelThatTrustsTheNamesIsTheIdealQueue() throws IOException {
    Path json = tmp.resolve("prior.json");
    Cli result = Cli.run(args("--prior_only", "--burst_bytes", "0", "--json", json.toString()));
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("fitted link alone");
    JsonNode mean = JSON.readTree(json.toFile()).get("mean");
    for (String error : List.of("drop_error_points", "latency_w1_ms", "latency_p99_error_percent"))
      assertThat(mean.get("model").get("errors").get(error).asDouble())
          .as(error)
          .isCloseTo(mean.get("baseline").get("errors").get(error).asDouble(), within(0.01));
    assertThat(mean.get("true").get("drops").asLong()).isPositive();
  }

  @Test
  void withoutABaselineThereIsNone() throws IOException {
    Path json = tmp.resolve("none.json");
    Cli result = Cli.run(args("--baseline", "none", "--json", json.toString()));
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode root = JSON.readTree(json.toFile());
    assertThat(root.get("baseline").isNull()).isTrue();
    assertThat(root.get("traces").get(0).has("baseline")).isFalse();
    assertThat(result.out()).doesNotContain("ideal");
  }

  @Test
  void contradictoryOrMissingDataIsAUsageError() {
    Cli both = Cli.run(args("--link_properties", "daglike"));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--link_properties").contains("--dag_data");
    Cli neither = Cli.run("evaluate", "-m", RNN_PT);
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("--dag_data PATH").contains("--link_properties");
    Cli badBaseline = Cli.run(args("--baseline", "netem"));
    assertThat(badBaseline.exitCode()).isEqualTo(2);
    assertThat(badBaseline.err()).contains("--baseline must be ideal or none");
  }

  /**
   * --master spreads trace files over Spark, which this class path lacks (the launcher starts the
   * lemurnn-sweep module's for it): said in one line, as are a master and data it cannot take.
   */
  @Test
  void masterNeedsSparksClassPathAMasterUrlAndTraceFiles() {
    Cli here = Cli.run(args("--master", "local[2]"));
    assertThat(here.exitCode()).isEqualTo(1);
    assertThat(here.err())
        .contains("--master runs on the class path of the lemurnn-sweep module (Apache Spark)")
        .contains("./lemurnn");
    Cli yarn = Cli.run(args("--master", "yarn"));
    assertThat(yarn.exitCode()).isEqualTo(2);
    assertThat(yarn.err()).contains("--master must be spark://HOST:PORT or local[N], got 'yarn'");
    Cli synthetic =
        Cli.run("evaluate", "-m", RNN_PT, "--link_properties", "daglike", "--master", "local[2]");
    assertThat(synthetic.exitCode()).isEqualTo(2);
    assertThat(synthetic.err()).contains("--master spreads trace files (--dag_data or --run)");
  }

  @Test
  void anEmptyTraceIsAnErrorNamingIt() throws IOException {
    Path empty = tmp.resolve("mgtrace_C5_L0_Q10000_1_1.csv");
    Files.writeString(
        empty, "packet_number\tsize\ttransmit_time\treceive_time\tlatency\tdropped_status\n");
    Cli result = Cli.run("evaluate", "-m", RNN_PT, "--dag_data", empty.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("mgtrace_C5_L0_Q10000_1_1.csv: has a header but no packets");
  }

  /** A folder is searched recursively, each file once, as train --dag_data does. */
  @Test
  void foldersAreSearchedForTraces() throws IOException {
    Path dir = tmp.resolve("a/b");
    Files.createDirectories(dir);
    for (Path f : Arrays.copyOf(FILES, 2)) Files.copy(f, dir.resolve(f.getFileName()));
    Cli result = Cli.run(
        "evaluate", "-m", RNN_PT, "--dag_data", tmp.resolve("a").toString(), dir.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    // the first table (the temporal one below it has a row per trace too)
    String firstTable = result.out().split("\n\s*\n")[0];
    try (Stream<String> rows = firstTable.lines().filter(l -> l.startsWith("mgtrace_"))) {
      assertThat(rows.count()).isEqualTo(2);
    }
    assertThat(result.out()).contains("mean of 2");
  }
}
