package org.lemurnn.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

/**
 * The same sweep on a real Spark standalone cluster: a master and a worker as JVMs of their own,
 * started from this module's class path on loopback, the executors the worker starts running
 * lemurnn's trials. Its results equal local mode's. Skipped, saying why, when the cluster does not
 * start here.
 */
class StandaloneClusterTest {
  private static final long START_SECONDS = 90;

  @TempDir
  Path tmp;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopCluster() throws InterruptedException {
    for (Process p : started.reversed()) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  private Path spec() throws IOException {
    Path spec = tmp.resolve("sweep.json");
    Files.writeString(spec, """
        {"data": {"dag_data": ["%s"]},
         "base": {"num_epochs": 2, "hidden_size": 4, "seq_len": 256, "data_seed": 1, "torch_seed": 1,
                  "threads": 1},
         "grid": {"learning_rate": [0.01, 0.003]}}
        """.formatted(TestData.path("kernel-tbf/train")));
    return spec;
  }

  @Test
  void aSweepOnAStandaloneClusterGivesLocalModesResults() throws Exception {
    String master = startCluster();
    Path onCluster = tmp.resolve("cluster"), local = tmp.resolve("local");
    SweepRun cluster = SweepRun.of(
        "--spec",
        spec().toString(),
        "--out",
        onCluster.toString(),
        "--master",
        master,
        "--parallel",
        "2");
    assertThat(cluster.exitCode()).as(cluster.out() + cluster.err()).isZero();
    assertThat(cluster.out()).contains("2 at once on " + master);
    // one training thread per trial in both (the spec says so), so the same seeds train the same
    // models
    SweepRun here =
        SweepRun.of("--spec", spec().toString(), "--out", local.toString(), "--parallel", "2");
    assertThat(here.exitCode()).as(here.out() + here.err()).isZero();

    JsonNode a = trials(onCluster), b = trials(local);
    assertThat(a).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(a.get(i).get("trial").asText()).isEqualTo(b.get(i).get("trial").asText());
      assertThat(a.get(i).get("status").asText()).isEqualTo("ok");
      for (String figure : HeldOutFigures.NAMES)
        assertThat(a.get(i).get("figures").get(figure).asDouble())
            .as("%s of %s", figure, a.get(i).get("trial").asText())
            .isCloseTo(b.get(i).get("figures").get(figure).asDouble(), within(1e-6));
    }
    assertThat(onCluster.resolve("best/model-best.safetensors")).isRegularFile();
  }

  private static JsonNode trials(Path sweep) throws IOException {
    return new ObjectMapper().readTree(sweep.resolve("results.json").toFile()).get("trials");
  }

  /** A master and a worker (2 cores) on loopback; the master's URL. */
  private String startCluster() throws Exception {
    int port = freePort();
    Path logs = Files.createDirectories(tmp.resolve("cluster-logs"));
    started.add(java(
        "org.apache.spark.deploy.master.Master",
        logs.resolve("master.log"),
        tmp,
        "--host",
        "127.0.0.1",
        "--port",
        Integer.toString(port),
        "--webui-port",
        Integer.toString(freePort())));
    awaitPort(port, logs.resolve("master.log"));
    // the worker builds each executor's command from a Spark home: here one with no jars of its
    // own (the executors get the class path of the sweep), and the Scala version said
    Path home = Files.createDirectories(tmp.resolve("spark-home"));
    Files.createDirectories(home.resolve("jars"));
    int workerPort = freePort();
    started.add(java(
        "org.apache.spark.deploy.worker.Worker",
        logs.resolve("worker.log"),
        home,
        "--host",
        "127.0.0.1",
        "--port",
        Integer.toString(workerPort),
        "--webui-port",
        Integer.toString(freePort()),
        "--cores",
        "2",
        "--memory",
        "3g",
        "--work-dir",
        Files.createDirectories(tmp.resolve("work")).toString(),
        "spark://127.0.0.1:" + port));
    awaitLine(logs.resolve("worker.log"), "Successfully registered with master");
    return "spark://127.0.0.1:" + port;
  }

  private Process java(String main, Path log, Path dir, String... args) throws IOException {
    // the master and worker log at INFO (the sweep's own configuration says WARN): the test waits
    // for the worker's registration line
    Path logConfig = tmp.resolve("log4j2-info.properties");
    Files.writeString(logConfig, """
        rootLogger.level = info
        rootLogger.appenderRef.stdout.ref = stdout
        appender.stdout.type = Console
        appender.stdout.name = stdout
        appender.stdout.layout.type = PatternLayout
        appender.stdout.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
        """);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m",
        "-Dlog4j2.configurationFile=" + logConfig,
        "@" + TestData.projectRoot().resolve("lemurnn-sweep/spark-jvm-options"),
        "-cp",
        System.getProperty("java.class.path"),
        main));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", dir.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    return builder.start();
  }

  private static void awaitPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    Assumptions.abort("the Spark master did not start in " + START_SECONDS + " s: " + tail(log));
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) return;
      Thread.sleep(250);
    }
    Assumptions.abort("the Spark worker did not register in " + START_SECONDS + " s: " + tail(log));
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) return "(no log)";
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
