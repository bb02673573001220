package org.lemurnn.sweep;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
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
      SparkConf conf = new SparkConf().setAppName("lemurnn sweep " + out.getFileName());
      if (local()) {
        // no failed task is tried again: a trial records its own failure, and a crash of this
        // JVM ends every trial anyway
        conf.setMaster("local[" + parallel + "]")
            .set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
      } else {
        // the executors run lemurnn's code from the same installation (a folder every worker
        // sees at the same path), one trial per core, at most `parallel` cores in all
        conf.setMaster(master)
            .set("spark.cores.max", Integer.toString(parallel))
            .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .set("spark.executor.extraJavaOptions", EXECUTOR_JAVA_OPTIONS)
            .setExecutorEnv(
                "DJL_CACHE_DIR",
                System.getenv()
                    .getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
      }
      return conf;
    }
  }

  /**
   * Runs {@code trials} into {@code out} and returns their results in order; {@code progress} gets
   * a line as each ends.
   */
  static List<TrialResult> run(List<Trial> trials, Path out, Engine engine, PrintStream progress) {
    try (JavaSparkContext spark = new JavaSparkContext(engine.conf(out))) {
      spark.setLogLevel("WARN");
      spark.sc().addSparkListener(new Progress(trials, out, progress));
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

  /** A line per finished trial, as the driver hears of it (the result is in the trial's folder). */
  private static final class Progress extends SparkListener {
    private final List<Trial> trials;
    private final Path out;
    private final PrintStream progress;
    private int ended;

    Progress(List<Trial> trials, Path out, PrintStream progress) {
      this.trials = trials;
      this.out = out;
      this.progress = progress;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
      int index = end.taskInfo().index();
      if (index < 0 || index >= trials.size()) return;
      ended++;
      String id = trials.get(index).id();
      Path result = TrialRunner.folder(out, id).resolve(TrialRunner.RESULT);
      String what = !end.taskInfo().successful()
          ? "lost (" + end.reason() + ")"
          : Files.isRegularFile(result) ? line(TrialResult.read(result)) : "stopped";
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
