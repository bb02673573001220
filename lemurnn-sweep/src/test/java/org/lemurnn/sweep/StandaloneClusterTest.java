package org.lemurnn.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext$;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

/**
 * The same sweep and evaluate on a real Spark standalone cluster: a master and workers as JVMs of
 * their own, started from this module's class path on loopback, the executors the workers start
 * running lemurnn's trials and traces. Their results equal local mode's; a trial whose worker is
 * killed runs again on another. Skipped, saying why, when the cluster does not start here.
 */
class StandaloneClusterTest {
  private static final long START_SECONDS = 90;

  @TempDir
  Path tmp;

  private final List<Process> started = new ArrayList<>(), workers = new ArrayList<>();
  private final java.util.Map<Process, Path> workDirs = new java.util.HashMap<>();

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
  void aSweepAndAnEvaluateOnAStandaloneClusterGiveLocalModesResults() throws Exception {
    String master = startCluster(1, 2);
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

    // evaluate --master: the traces a task each on the cluster, the same figures as without
    List<String> evaluate = List.of(
        "evaluate",
        "-m",
        onCluster.resolve("best").toString(),
        "--dag_data",
        TestData.path("kernel-tbf/held-out").toString(),
        TestData.path("kernel-tbf/extra").toString());
    SweepRun spread = evaluate(evaluate, "--master", master, "--json", tmp + "/cluster.json");
    assertThat(spread.exitCode()).as(spread.out() + spread.err()).isZero();
    assertThat(spread.err()).contains(" traces on " + master + ", a task each");
    SweepRun plain = evaluate(evaluate, "--json", tmp + "/here.json");
    assertThat(plain.exitCode()).as(plain.out() + plain.err()).isZero();
    assertThat(spread.out()).isEqualTo(plain.out());
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(tmp.resolve("cluster.json").toFile()))
        .isEqualTo(json.readTree(tmp.resolve("here.json").toFile()));
  }

  private static SweepRun evaluate(List<String> line, String... more) {
    List<String> all = new ArrayList<>(line);
    all.addAll(List.of(more));
    return SweepRun.lemurnn(all.toArray(String[]::new));
  }

  /**
   * Two workers of a core each and a sweep of one trial on one core: the worker running the trial
   * is killed (with its executor, as a machine that dies) once the trial has begun training (its
   * run folder made, not a time), and Spark runs the trial again on the other worker, from the
   * start: the sweep completes, the trial scored.
   */
  @Test
  void aTrialWhoseWorkerIsKilledRunsAgainOnAnotherWorker() throws Exception {
    String master = startCluster(2, 1);
    Path spec = tmp.resolve("one.json"), out = tmp.resolve("killed");
    // enough epochs that the trial trains for seconds after its run folder appears
    Files.writeString(spec, """
        {"data": {"dag_data": ["%s"]},
         "base": {"num_epochs": 8, "hidden_size": 4, "seq_len": 256, "data_seed": 1, "torch_seed": 1,
                  "learning_rate": 0.01}}
        """.formatted(TestData.path("kernel-tbf/train")));
    CompletableFuture<SweepRun> sweep = CompletableFuture.supplyAsync(() -> SweepRun.of(
        "--spec", spec.toString(), "--out", out.toString(), "--master", master, "--parallel", "1"));

    Path trial = out.resolve("trials/t001");
    // a guard against a hang, not a timing claim: an executor's start (a JVM, Spark, libtorch)
    // takes minutes on a loaded machine
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    while (!trainingBegun(trial)) {
      assertThat(sweep).as("the sweep ended before its trial trained").isNotDone();
      if (System.nanoTime() > deadline)
        fail("the trial did not begin in 6 minutes; the workers' logs:\n" + workerLogs());
      Thread.sleep(50);
    }
    List<Process> running =
        workers.stream().filter(w -> w.descendants().findAny().isPresent()).toList();
    assertThat(running).as("the worker whose executor runs the trial").hasSize(1);
    Process killed = running.getFirst();
    killed.descendants().forEach(ProcessHandle::destroyForcibly);
    killed.destroyForcibly();
    assertThat(trial.resolve("trial.json"))
        .as("the trial ended before the kill")
        .doesNotExist();

    SweepRun run = sweep.get(10, TimeUnit.MINUTES);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("trial t001: its task was lost")
        .contains("trial t001 (1 of 1): score");
    JsonNode trials = trials(out);
    assertThat(trials).hasSize(1);
    assertThat(trials.get(0).get("status").asText()).isEqualTo("ok");
    Process survivor = workers.stream().filter(w -> w != killed).findFirst().orElseThrow();
    assertThat(workDir(survivor)).as("the other worker ran an executor").isNotEmptyDirectory();
  }

  /** The last lines of each worker's log and of its executors' stderr. */
  private String workerLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    for (Process w : workers) {
      out.append(tail(tmp.resolve("cluster-logs/worker-" + (workers.indexOf(w) + 1) + ".log")))
          .append('\n');
      try (var files = Files.walk(workDir(w))) {
        for (Path f : files.filter(f -> f.endsWith("stderr")).toList())
          out.append(f).append(":\n").append(tail(f)).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * A sweep left running by a failed test would wait for its cluster forever, holding SweepRun (and
   * so hanging the next test): its Spark context is stopped.
   */
  @AfterEach
  void stopSpark() {
    var active = SparkContext$.MODULE$.getActive();
    if (active.isDefined()) active.get().stop();
  }

  /** Whether train has made its run folder in the trial's folder. */
  private static boolean trainingBegun(Path trial) throws IOException {
    if (!Files.isDirectory(trial)) return false;
    try (var children = Files.list(trial)) {
      return children.anyMatch(Files::isDirectory);
    } catch (java.nio.file.NoSuchFileException clearedMeanwhile) {
      return false;
    }
  }

  private static JsonNode trials(Path sweep) throws IOException {
    return new ObjectMapper().readTree(sweep.resolve("results.json").toFile()).get("trials");
  }

  private Path workDir(Process worker) {
    return workDirs.get(worker);
  }

  /** A master and {@code workers} workers of {@code cores} cores on loopback; the master's URL. */
  private String startCluster(int workerCount, int cores) throws Exception {
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
    // a worker builds each executor's command from a Spark home: here one with no jars of its
    // own (the executors get the class path of the sweep), and the Scala version said
    Path home = Files.createDirectories(tmp.resolve("spark-home"));
    Files.createDirectories(home.resolve("jars"));
    for (int i = 1; i <= workerCount; i++) {
      Path log = logs.resolve("worker-" + i + ".log");
      Path work = Files.createDirectories(tmp.resolve("work-" + i));
      Process worker = java(
          "org.apache.spark.deploy.worker.Worker",
          log,
          home,
          "--host",
          "127.0.0.1",
          "--port",
          Integer.toString(freePort()),
          "--webui-port",
          Integer.toString(freePort()),
          "--cores",
          Integer.toString(cores),
          "--memory",
          "3g",
          "--work-dir",
          work.toString(),
          "spark://127.0.0.1:" + port);
      started.add(worker);
      workers.add(worker);
      workDirs.put(worker, work);
      awaitLine(log, "Successfully registered with master");
    }
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
