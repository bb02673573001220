package org.lemurnn.sweep;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.lemurnn.JvmOptions;

/**
 * The trials as the tasks of one Spark job, a partition per trial. Without a master Spark runs in
 * local mode inside this JVM, {@code parallel} tasks at once, each trial training with the cores
 * divided among them; with {@code spark://HOST:PORT} the same job runs on a cluster, one core per
 * trial, its folder on storage every worker shares.
 */
final class SparkSweep {
  /** Options of every JVM that trains: as the launcher gives them, for a cluster's executors. */
  private static final String EXECUTOR_JAVA_OPTIONS = String.join(" ", JvmOptions.ALL);

  private SparkSweep() {}

  /** Where and how many at once. */
  record Engine(String master, int parallel) {
    boolean local() {
      return master == null;
    }

    /** train's threads per trial: the cores divided among the trials at once (local mode). */
    int threadsPerTrial() {
      return local() ? Math.max(1, Runtime.getRuntime().availableProcessors() / parallel) : 1;
    }

    SparkConf conf(Path out) {
      String app = "lemurnn sweep " + out.getFileName();
      // local mode: no failed task is tried again (a trial records its own failure, and a crash
      // of this JVM ends every trial anyway); a cluster: one trial per core, at most `parallel`
      return local()
          ? SparkSweep.conf(app, "local[" + parallel + "]")
          : SparkSweep.conf(app, master).set("spark.cores.max", Integer.toString(parallel));
    }
  }

  /**
   * Spark's configuration for a job named {@code app} at {@code master}: Spark's local mode in this
   * process ({@code local[N]}: no UI, on loopback), or a cluster whose executors run lemurnn's code
   * from the same installation (a folder every worker sees at the same path).
   */
  static SparkConf conf(String app, String master) {
    SparkConf conf = new SparkConf().setAppName(app).setMaster(master);
    if (master.startsWith("local"))
      return conf.set("spark.ui.enabled", "false")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1");
    return conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .set("spark.executor.extraJavaOptions", EXECUTOR_JAVA_OPTIONS)
        .setExecutorEnv(
            "DJL_CACHE_DIR",
            System.getenv()
                .getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
  }

  /**
   * Runs {@code trials} into {@code out} and returns their results in order; {@code progress} gets
   * a line as each ends, after {@code finished} got its result (in the driver, one at a time: so
   * the sweep's results can be written as the trials finish).
   */
  static List<TrialResult> run(
      List<Trial> trials,
      Path out,
      Engine engine,
      PrintStream progress,
      Consumer<TrialResult> finished) {
    try (JavaSparkContext spark = new JavaSparkContext(engine.conf(out))) {
      spark.setLogLevel("WARN");
      spark.sc().addSparkListener(new Progress(trials, out, progress, finished));
      return spark
          .parallelize(trials, trials.size())
          .map(new RunTrial(out.toString(), engine.threadsPerTrial()))
          .collect();
    }
  }

  /** A task: one trial, in whichever JVM Spark sends it to. */
  private record RunTrial(String out, int threads) implements Function<Trial, TrialResult> {
    @Override
    public TrialResult call(Trial trial) {
      return TrialRunner.run(trial, Path.of(out), threads);
    }
  }

  /**
   * A line per ended trial, as the driver hears of it: its result (read from the trial's folder,
   * and handed to {@code finished} first), or that its task was lost (Spark runs it again).
   */
  private static final class Progress extends SparkListener {
    private final List<Trial> trials;
    private final Path out;
    private final PrintStream progress;
    private final Consumer<TrialResult> finished;
    private int ended;

    Progress(List<Trial> trials, Path out, PrintStream progress, Consumer<TrialResult> finished) {
      this.trials = trials;
      this.out = out;
      this.progress = progress;
      this.finished = finished;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
      int index = end.taskInfo().index();
      if (index < 0 || index >= trials.size()) return;
      String id = trials.get(index).id();
      if (!end.taskInfo().successful()) {
        // Spark tries it again (on a cluster, up to spark.task.maxFailures times)
        String why = end.reason() instanceof TaskFailedReason failed
            ? failed.toErrorString()
            : end.reason().toString();
        progress.printf(Locale.ROOT, "trial %s: its task was lost: %s%n", id, why);
        return;
      }
      ended++;
      Path result = TrialRunner.folder(out, id).resolve(TrialRunner.RESULT);
      String what = "stopped";
      if (Files.isRegularFile(result)) {
        TrialResult r = TrialResult.read(result);
        finished.accept(r);
        what = line(r);
      }
      progress.printf(Locale.ROOT, "trial %s (%d of %d): %s%n", id, ended, trials.size(), what);
    }

    private static String line(TrialResult r) {
      if (!r.ok())
        return String.format(Locale.ROOT, "failed after %.0f s: %s", r.seconds(), r.error());
      HeldOutFigures f = r.figures();
      return String.format(
          Locale.ROOT,
          "score %.2f (drop-rate error %.2f points, p99 error %.1f%%, W1 %.3f ms) in %.0f s",
          f.score(),
          f.dropErrorPoints(),
          f.p99ErrorPercent(),
          f.w1Ms(),
          r.seconds());
    }
  }
}
