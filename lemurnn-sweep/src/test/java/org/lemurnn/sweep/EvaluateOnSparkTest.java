package org.lemurnn.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

/**
 * {@code evaluate --master}: the trace files as the tasks of a Spark job (here Spark's local mode
 * in this JVM; a standalone cluster in StandaloneClusterTest) give the table and the JSON of the
 * evaluate that runs without Spark, plots drawn by the tasks.
 */
class EvaluateOnSparkTest {
  private static final String MODEL = TestData.path(
          "pytorch-models/rnn_relu_l1_h8/modelstate-torchscript-25.pt")
      .toString();

  @TempDir
  Path tmp;

  @Test
  void theTracesAsSparkTasksGiveTheFiguresOfAPlainEvaluate() throws Exception {
    String traces = TestData.path("kernel-tbf/extra").toString();
    Path onSpark = tmp.resolve("spark.json"), here = tmp.resolve("here.json");
    SweepRun spread = SweepRun.lemurnn(
        "evaluate",
        "-m",
        MODEL,
        "--dag_data",
        traces,
        "--master",
        "local[2]",
        "--json",
        onSpark.toString(),
        "--plot",
        tmp.resolve("plots").toString());
    assertThat(spread.exitCode()).as(spread.out() + spread.err()).isZero();
    assertThat(spread.err()).contains("traces on local[2], a task each");
    SweepRun plain =
        SweepRun.lemurnn("evaluate", "-m", MODEL, "--dag_data", traces, "--json", here.toString());
    assertThat(plain.exitCode()).as(plain.out() + plain.err()).isZero();

    assertThat(spread.out()).isEqualTo(plain.out());
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(onSpark.toFile())).isEqualTo(json.readTree(here.toFile()));
    assertThat(tmp.resolve("plots/drop-rate.png")).isRegularFile();
    assertThat(tmp.resolve("plots/mgtrace_C8_L0_Q5881_1796218071_5.png")).isRegularFile();
  }
}
