package org.lemurnn.cli;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.FileSplit;
import org.lemurnn.data.MeasuredData;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.io.InputFiles;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.model.ModelFile;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.train.plot.FidelityPlots;
import org.lemurnn.train.run.SplitsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lemurnn evaluate}: how faithfully a model emulates a set of traces, as a user judges a
 * link (drop rate, loss bursts, latency quantiles, the latency distribution), beside the ideal
 * queue the traces' names describe. Over 350 lines for its flags and the three places traces come
 * from (--dag_data, a run's held-out files, a synthetic set) with the ideal link each is judged
 * beside; the table and the JSON are {@link EvaluationReport}'s.
 */
@Command(
    name = "evaluate",
    header = "Scores a model's fidelity over many traces, beside the ideal queue.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs a model over every trace, each as one stream from the zero state exactly as the forwarder runs "
            + "it (forward --replay), and compares the emulated link with the true one: drop rate and loss bursts, "
            + "latency of delivered packets (mean, p50, p90, p99, p99.9, nearest-rank, base latency included), the "
            + "W1 distance between the latency distributions, run-model's per-packet figures, and how long the link's "
            + "behaviour lasts (a second table: the W1 distance between the latency means of 100 ms windows, "
            + "loss-burst lengths, the latency autocorrelation at lags of 10 and 100 packets). The baseline is "
            + "the project's simulator of the trace's link (a drop-tail byte queue unless a link flag says "
            + "otherwise; for a mahimahi link a byte queue at the schedule's mean rate) with the C and Q of its name, fed the trace's own gaps and sizes. Traces: measured files "
            + "(--dag_data) or a synthetic set (--link_properties, --num, --seq_len, --data_seed: test samples 0 to"
            + " N-1, as run-model --sample draws them). Prints one row per trace and the mean; --json writes every "
            + "figure, --plot draws them.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Option(
      names = "--run",
      paramLabel = "RUN",
      description =
          "A training run's folder (train --dag_data, or its budget-<time> folder): its best model on the files it held out"
              + " (its splits.json); -m or --dag_data given as well take their place.")
  Path run;

  @Mixin
  DropRuleOptions drops;

  @Option(
      names = "--dag_data",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Measured trace files or folders of *.csv (recursive); the link of each from its name (..._C<Mbit/s>_L<ms>_Q<bytes>_...).")
  List<Path> tracePaths = new ArrayList<>();

  @Mixin
  LinkOptions link;

  @Mixin
  BaseLatencyOption baseLatency;

  @Mixin
  PhysicsOptions physicsOptions;

  @Option(
      names = "--num",
      paramLabel = "N",
      description = "Synthetic set: number of samples (default: ${DEFAULT-VALUE}).")
  int num = 20;

  @Option(
      names = "--seq_len",
      paramLabel = "PACKETS",
      description = "Synthetic set: packets per sample (default: ${DEFAULT-VALUE}).")
  int seqLen = 2000;

  @Option(
      names = "--data_seed",
      paramLabel = "SEED",
      description = "Synthetic set: data seed (default: ${DEFAULT-VALUE}).")
  long dataSeed = 10;

  @Option(
      names = "--baseline",
      paramLabel = "ideal|none",
      description =
          "The baseline: ideal (the simulator of the trace's link) or none (default: ${DEFAULT-VALUE}).")
  String baseline = "ideal";

  @Option(
      names = "--overhead_bytes",
      paramLabel = "BYTES",
      description =
          "Trace files: bytes the ideal queue adds to each packet's size (default: 0: the size column is what the link counts, "
              + "as in probe's and generate's files). A synthetic set takes its presets' overhead.")
  Double overheadBytes;

  @Option(
      names = "--prior_only",
      description =
          "Emulate with the model's fitted link alone, without its network (--drop_rule link): the physical queue at the rate its"
              + " rate process draws (a varying link), or the fitted link's physical limits at its fitted capacity. What the network"
              + " adds is the difference to the model's own figures.")
  boolean priorOnly;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write every figure, per trace and mean, as JSON (keys in the README).")
  Path json;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spread the trace files over an Apache Spark cluster, a task per trace: spark://HOST:PORT (the"
              + " files, the model and --plot on storage every worker sees at the same path), or local[N] (Spark"
              + " in this process). The same figures as without it; default: this machine's cores, without Spark.")
  String master;

  @Option(
      names = "--plot",
      paramLabel = "DIR",
      description =
          "Draw per trace the latency CDF and the latency over time (NAME.png) and its temporal figures (NAME-temporal.png: window means, loss bursts, autocorrelation), and the drop-rate scatter of all traces.")
  Path plot;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /**
   * One trace to evaluate: its name in the table, how to load it, its base latency, its file (null:
   * a synthetic sample).
   */
  record Source(String name, Supplier<LinkSample> sample, double baseLatency, Path file) {
    /** A measured trace file: its link and base latency from its name. */
    static Source measured(Path file) {
      return new Source(
          file.getFileName().toString(),
          () -> TraceFile.load(file),
          TraceLink.fromName(file).baseLatencyMs(),
          file);
    }
  }

  @Override
  public Integer call() {
    if (run != null) useRun();
    InputFiles.requireNotInput(
        json,
        "--json",
        Stream.concat(Stream.of(model.file()), tracePaths.stream()).toArray(Path[]::new));
    if (master != null && !master.matches("spark://\\S+|local(\\[[1-9][0-9]*])?"))
      throw new ParameterException(
          spec.commandLine(),
          "--master must be spark://HOST:PORT or local[N], got '" + master + "'"
              + (master.startsWith("k8s://") ? " (Kubernetes: see docs/sweeps.md)" : ""));
    if (master != null && tracePaths.isEmpty())
      throw new ParameterException(
          spec.commandLine(),
          "--master spreads trace files (--dag_data or --run): evaluate a synthetic set here,"
              + " without --master");
    Cluster cluster = master == null ? null : Cluster.find("--master");
    List<Source> sources = tracePaths.isEmpty() ? synthetic() : measured();
    physicsOptions.check(spec.commandLine());
    IdealLink ideal = idealLink();
    ModelFile modelFile = model.read();
    if (priorOnly && drops.dropRule != null && !drops.dropRule.equals("link"))
      throw new ParameterException(
          spec.commandLine(),
          "--prior_only is --drop_rule link: drop --drop_rule " + drops.dropRule);
    DropRule rule = priorOnly ? DropRule.link(drops.dropSeed) : drops.rule(modelFile.spec());
    if (rule.linkAlone())
      spec.commandLine()
          .getErr()
          .println("the model's fitted link alone (" + modelFile.spec().prior().describe()
              + "), its network not run");
    List<String> plotNames = plot == null ? null : plotNames(sources);
    if (plot != null) createFolder(plot);

    TraceScorer scorer =
        new TraceScorer(model.file(), model.units, modelFile, rule, physicsOptions, ideal);
    List<Path> pngs = plotNames == null
        ? null
        : plotNames.stream().map(n -> plot.resolve(n).toAbsolutePath()).toList();
    List<TraceScore> scores = cluster == null
        ? scoreHere(sources, scorer, pngs)
        : scoreOn(cluster, sources, scorer, pngs);
    UnitSystem units = scores.getFirst().units();
    if (LinkPrediction.readsPhysicalAsBytes(units, modelFile.spec().units())) {
      spec.commandLine()
          .getErr()
          .printf("note: the model works in abstract units; the traces are fed to it as the "
              + "forwarder feeds it: time in ms, sizes in bytes, capacity in bytes/ms%n");
    }

    EvaluationReport report = new EvaluationReport(
        model.file(), rule, ideal == null ? null : ideal.kind(), units, scores);
    report.printTable(spec.commandLine().getOut());
    if (json != null) report.writeJson(json);
    if (plot != null)
      FidelityPlots.dropRates(
          plot.resolve("drop-rate.png"),
          report.dropRateTitle(),
          scores.stream().mapToDouble(s -> s.model().truth().dropRate()).toArray(),
          scores.stream().mapToDouble(s -> s.model().emulated().dropRate()).toArray(),
          ideal == null
              ? null
              : scores.stream()
                  .mapToDouble(s -> s.baseline().emulated().dropRate())
                  .toArray());
    return 0;
  }

  /**
   * The traces scored on this machine's cores: each trace alone from its own data and its own drop
   * stream, so the order of the threads changes nothing, and toList keeps the traces' order.
   */
  private static List<TraceScore> scoreHere(
      List<Source> sources, TraceScorer scorer, List<Path> pngs) {
    try (ProgressBar bar = Bars.builder("evaluate", sources.size())
        .setUnit(" traces", 1)
        .continuousUpdate()
        .build()) {
      return IntStream.range(0, sources.size())
          .parallel()
          .mapToObj(i -> {
            TraceScore s = scorer.score(sources.get(i), pngs == null ? null : pngs.get(i));
            bar.step();
            return s;
          })
          .toList();
    }
  }

  /** A trace file to score on a cluster, and its plot (null: none). */
  private record ClusterTrace(String file, String png) implements Serializable {}

  /** The trace files scored on the cluster, a task each, by the same scorer. */
  private List<TraceScore> scoreOn(
      Cluster cluster, List<Source> sources, TraceScorer scorer, List<Path> pngs) {
    List<ClusterTrace> traces = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++)
      traces.add(new ClusterTrace(
          sources.get(i).file().toAbsolutePath().toString(),
          pngs == null ? null : pngs.get(i).toString()));
    spec.commandLine()
        .getErr()
        .println("evaluate: " + traces.size() + " traces on " + master + ", a task each");
    return cluster.map(
        master,
        "lemurnn evaluate " + model.file().getFileName(),
        traces,
        t -> scorer.score(
            Source.measured(Path.of(t.file())), t.png() == null ? null : Path.of(t.png())));
  }

  /** The figures of one trace: the model's and the baseline's (null with --baseline none). */
  record TraceScore(
      String name,
      UnitSystem units,
      String linkKind,
      double capacity,
      double queueLimit,
      double baseLatency,
      Fidelity model,
      SequenceReport modelPackets,
      PhysicsOverrides physics,
      Fidelity baseline,
      SequenceReport baselinePackets)
      implements Serializable {}

  /** --run: the run's model and held-out files, where -m and --dag_data do not say otherwise. */
  private void useRun() {
    if (!Files.isDirectory(run))
      throw new ParameterException(
          spec.commandLine(), "--run " + run + ": not a folder (give a training run's folder)");
    if (model.model == null) model.model = run;
    if (!tracePaths.isEmpty()) return;
    if (!link.presets.isEmpty())
      throw new ParameterException(
          spec.commandLine(),
          "--run evaluates on the run's held-out files: drop --link_properties, or give --dag_data");
    FileSplit split = SplitsFile.read(run)
        .orElseThrow(() -> new InputException(run + " records no held-out files (no "
            + SplitsFile.NAME + ": synthetic data, or trained before runs recorded them):"
            + " give --dag_data"));
    if (split.test().isEmpty())
      throw new InputException(
          run + " held out no files (" + SplitsFile.NAME + "): give --dag_data");
    tracePaths = new ArrayList<>(split.test());
    spec.commandLine()
        .getErr()
        .println("evaluating " + model.file() + " on the " + split.test().size() + " file(s) " + run
            + " held out");
  }

  private List<Source> measured() {
    List<String> refused = new ArrayList<>(link.dataFlagsGiven());
    if (baseLatency.given()) refused.add("--base_latency");
    if (!refused.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          String.join(", ", refused) + " describe a synthetic set, but --dag_data "
              + "gives trace files, whose names carry their link: drop one or the other");
    }
    List<Source> out = new ArrayList<>();
    for (Path file : MeasuredData.find(tracePaths)) out.add(Source.measured(file));
    return out;
  }

  private List<Source> synthetic() {
    if (link.presets.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "give the traces: --dag_data PATH... (measured files) or "
              + "--link_properties PRESET (a synthetic set, with --num, --seq_len, --data_seed)");
    }
    if (num < 1 || seqLen < 1)
      throw new ParameterException(spec.commandLine(), "--num and --seq_len must be at least 1");
    if (overheadBytes != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--overhead_bytes is for trace files: a synthetic set's ideal link "
              + "adds its presets' overhead");
    }
    double base = baseLatency.ms();
    if (!(base >= 0) || Double.isInfinite(base))
      throw new ParameterException(spec.commandLine(), "--base_latency must be >= 0");
    List<LinkPreset> presets = link.presets("default");
    DataSpec data = link.applyTo(DataSpec.defaults().toBuilder(), presets)
        .seqLen(seqLen)
        .samples(0, 0, num)
        .dataSeed(dataSeed)
        .build();
    List<Source> out = new ArrayList<>();
    for (int i = 0; i < num; i++) {
      int index = i;
      out.add(new Source("sample " + i, () -> SyntheticData.sample(data, index), base, null));
    }
    return out;
  }

  private IdealLink idealLink() {
    switch (baseline) {
      case "none" -> {
        return null;
      }
      case "ideal" -> {
        IdealLink exact = exactIdealLink();
        if (exact.kind() != LinkKind.MAHIMAHI) return exact;
        // a replay from the schedule's start would be scored against samples that started at a
        // random point of it: a baseline wrong for a reason of its own. What a user would configure
        // without the schedule is a byte queue at its mean rate (the capacity feature)
        spec.commandLine()
            .getErr()
            .println(
                "note: the ideal baseline of a mahimahi link is a byte queue at the "
                    + "schedule's mean rate (a trace does not record where in the schedule it started)");
        return IdealLink.byteQueue(exact.overheadSize());
      }
      default ->
        throw new ParameterException(
            spec.commandLine(), "--baseline must be ideal or none, got '" + baseline + "'");
    }
  }

  /** The simulator of the traces' own link kind, with their overhead. */
  private IdealLink exactIdealLink() {
    if (!tracePaths.isEmpty()) {
      double bytes = overheadBytes == null ? 0 : overheadBytes;
      if (!(bytes >= 0) || Double.isInfinite(bytes))
        throw new ParameterException(spec.commandLine(), "--overhead_bytes must be >= 0");
      return new IdealLink(link.kind(), bytes / 1000, link.schedule());
    }
    try {
      return link.applyTo(DataSpec.defaults().toBuilder(), link.presets("default"))
          .build()
          .idealLink();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage() + ", or --baseline none");
    }
  }

  /** One PNG per trace, named after it (a name already taken gets the trace's index). */
  private static List<String> plotNames(List<Source> sources) {
    List<String> names = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < sources.size(); i++) {
      String stem =
          sources.get(i).name().replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9._-]+", "-");
      String name = taken.add(stem) ? stem : stem + "-" + i;
      taken.add(name);
      names.add(name + ".png");
    }
    return names;
  }

  /** The plot folder, made before the threads draw into it. */
  private static void createFolder(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir))
      throw new InputException(dir + " exists and is not a folder: choose another --plot");
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new InputException(dir + ": cannot create the plot folder: " + e.getMessage());
    }
  }
}
