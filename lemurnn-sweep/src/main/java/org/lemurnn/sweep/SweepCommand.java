package org.lemurnn.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.lemurnn.InputException;
import org.lemurnn.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lemurnn sweep}: many trainings, each evaluated on the files it held out, ranked. */
@Command(
    name = "sweep",
    header = Main.SWEEP_HEADER,
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a train per trial of SPEC (a JSON file: data, base options, a grid and/or random draws of"
          + " train's options; docs/sweeps.md), each into DIR/trials/<id>/ as an ordinary run folder, then"
          + " evaluate --run on the files that run held out. Ranks the trials by the held-out score (drop-rate"
          + " error in points + latency W1 in % of the true mean; lower is better) and writes DIR/results.csv,"
          + " DIR/results.json, DIR/plots/<option>.png and DIR/best/ (the winner's model and figures).",
      "The trials are the tasks of one Apache Spark job: in this process (local mode) unless --master"
          + " names a cluster. A failed trial is recorded with its error; Ctrl-C keeps the finished trials,"
          + " and --resume runs the others."
    })
public final class SweepCommand implements Callable<Integer> {
  @Option(
      names = "--spec",
      paramLabel = "SPEC",
      description = "The sweep's spec (JSON). With --resume: may be left out (DIR keeps it).")
  Path specFile;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "The sweep's folder (with --master: on storage every worker sees at the same path).")
  Path out;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "A Spark cluster's master (spark://HOST:PORT) to run the trials on; default: this process"
              + " (Spark's local mode).")
  String master;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description =
          "Trials at once (default: one per core here); each trains with the cores / N threads. With"
              + " --master: at most N cores of the cluster, a trial per core.")
  Integer parallel;

  @Option(
      names = "--resume",
      description = "Go on with the sweep in --out: run only the trials not finished yet.")
  boolean resume;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    int n = parallel != null ? parallel : cores;
    if (n < 1)
      throw new ParameterException(spec.commandLine(), "--parallel must be >= 1, got " + n);
    if (specFile == null && !resume)
      throw new ParameterException(spec.commandLine(), "give --spec SPEC (or --resume)");
    Path dir = out.toAbsolutePath().normalize();
    if (master != null && !master.startsWith("spark://"))
      throw new ParameterException(
          spec.commandLine(),
          "--master must be spark://HOST:PORT, got '" + master + "'"
              + (master.startsWith("k8s://") ? " (Kubernetes: see docs/sweeps.md)" : ""));

    // parse, plan: which trials there are, which are finished
    SweepSpec sweep = SpecFile.read(specFile != null ? specFile : dir.resolve(SweepFolder.SPEC));
    SweepFolder folder =
        resume ? SweepFolder.resume(dir, specFile) : SweepFolder.create(dir, specFile);
    List<Trial> trials = sweep.trials();
    Map<String, TrialResult> results = new ConcurrentHashMap<>(folder.finished(trials));
    List<Trial> missing = SweepFolder.missing(trials, results);
    SparkSweep.Engine engine = new SparkSweep.Engine(master, n);
    PrintStream stdout = System.out;
    stdout.printf(
        Locale.ROOT,
        "sweep %s: %d trials%s; %d at once on %s, %d training threads each%n",
        dir,
        trials.size(),
        results.isEmpty()
            ? ""
            : " (" + results.size() + " finished before: " + missing.size() + " to run)",
        n,
        engine.local() ? "this machine (Spark local mode)" : master,
        engine.threadsPerTrial());

    // run: the results written again as each trial finishes, so that Ctrl-C loses none
    long start = System.nanoTime();
    if (!missing.isEmpty()) {
      Consumer<TrialResult> finished = r -> {
        results.put(r.trial(), r);
        try {
          new SweepResults(sweep.axes(), trials, results).write(dir);
        } catch (IOException | RuntimeException e) {
          System.err.println("lemurnn: could not write the results so far (" + e.getMessage()
              + "): they are written when the sweep ends");
        }
      };
      for (TrialResult r : SparkSweep.run(missing, dir, engine, stdout, finished))
        results.put(r.trial(), r);
    }

    // report
    SweepResults ranked = new SweepResults(sweep.axes(), trials, results);
    ranked.write(dir);
    SweepPlots.draw(dir, sweep.axes(), ranked.ranked());
    ranked.print(stdout);
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    double trialSeconds =
        missing.stream().mapToDouble(t -> results.get(t.id()).seconds()).sum();
    stdout.printf(
        Locale.ROOT,
        "%d trials in %.0f s of wall time (their own: %.0f s); results: %s, %s; plots: %s%n",
        missing.size(),
        wall.toMillis() / 1e3,
        trialSeconds,
        dir.resolve(SweepResults.CSV),
        dir.resolve(SweepResults.JSON),
        dir.resolve(SweepPlots.DIR));
    var best = ranked.best();
    if (best.isEmpty())
      throw new InputException(
          "no trial finished with a score: see the errors in " + dir.resolve(SweepResults.CSV));
    stdout.println("best: " + best.get().trial().id() + ", its model in "
        + dir.resolve(SweepResults.BEST) + " (-m " + dir.resolve(SweepResults.BEST) + ")");
    return 0;
  }
}
