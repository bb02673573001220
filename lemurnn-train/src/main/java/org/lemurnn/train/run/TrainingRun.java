package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.metrics.SetMetrics;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.train.SequenceSet;
import org.lemurnn.train.TrainLoss;
import org.lemurnn.train.Trainer;
import org.lemurnn.train.plot.BacklogPlot;

/**
 * One training run from options to files (docs/architecture.md, Training): makes the data and the
 * run directory, then every epoch trains, validates, keeps the best model by validation loss, tests
 * the best model so far, and writes the history, the log and, on a new best, the checkpoint, the
 * model file and the plot. Resumable from its last checkpoint; Ctrl-C writes one first.
 */
public final class TrainingRun {
  /** What a user interface hears of a run. */
  public interface Listener {
    /** Data generation starts; the consumer hears finished sequences. */
    default IntConsumer generating(int sequences) {
      return n -> {};
    }

    default void started(
        Path runDir, int firstEpoch, int epochs, int batchesPerEpoch, List<String> notes) {}

    default void batch(int index) {}

    default void epoch(EpochSummary summary) {}

    default void interrupted(Path checkpoint) {}

    /** The run ended (its epochs done, its deadline reached, or Ctrl-C): what it made. */
    default void finished(Summary summary) {}

    /** Something went wrong that the run survives (a plot not drawn): the user should hear it. */
    default void warning(String message) {}
  }

  /**
   * The line a user sees per epoch.
   *
   * @param fidelity this epoch's validation fidelity score, NaN where the run judges none
   */
  public record EpochSummary(
      int epoch,
      int epochs,
      double trainLoss,
      double valLoss,
      double testLoss,
      int bestEpoch,
      boolean newBest,
      double fidelity,
      double seconds) {
    public String line() {
      // a run a time budget ends has no last epoch to show
      String of = epochs == Integer.MAX_VALUE ? "" : "/" + (epochs - 1);
      return String.format(
          Locale.ROOT,
          "epoch %d%s  train %.4f  val %.4f  test %.4f  best %d%s%s  %.2fs",
          epoch,
          of,
          trainLoss,
          valLoss,
          testLoss,
          bestEpoch,
          newBest ? "*" : " ",
          Double.isNaN(fidelity) ? "" : String.format(Locale.ROOT, "  fidelity %.2f", fidelity),
          seconds);
    }

    /** What the columns mean, for a legend printed once. */
    public static String legend() {
      return "columns: train, val, test = the trainer's loss on each set (lower is better);"
          + " best = the epoch of the lowest val loss (* this one); fidelity (measured data, --window) = how faithfully"
          + " this epoch emulates the whole validation streams (drop-rate error in points +"
          + " latency W1 in % of the mean; 0 is perfect), the best of which is model-best";
    }
  }

  /**
   * What a run made, for the user: the model to use and how it was chosen.
   *
   * @param bestModel the model to use ({@code model-best.safetensors}); null before an epoch ended
   * @param bestEpoch the epoch it is of (-1: the model the run started from, --init, or one an
   *     earlier session of the run chose)
   * @param fidelity its validation fidelity score (drop-rate error in points + latency W1 in % of
   *     the true mean; lower is better), NaN when the run judged by validation loss only
   * @param idealFidelity the same score for the ideal link of the data, NaN when there is none
   * @param dropRule the drop rule chosen with the model, or null
   * @param interrupted whether Ctrl-C stopped the run
   */
  public record Summary(
      Path runDir,
      Path bestModel,
      int bestEpoch,
      int epochsDone,
      double fidelity,
      double idealFidelity,
      String dropRule,
      boolean interrupted) {
    /** The same run's summary naming another folder and model (a budget's, which holds it). */
    public Summary in(Path folder, Path model) {
      return new Summary(
          folder, model, bestEpoch, epochsDone, fidelity, idealFidelity, dropRule, interrupted);
    }
  }

  /** Checkpoints, epoch models and plots kept by default: the newest of each (see keep). */
  public static final int DEFAULT_KEEP_CHECKPOINTS = 3;

  private final RunDirectory dir;
  private final TrainOptions options;
  private final DataSets data;
  private final Trainer trainer;
  private final Listener listener;
  private final List<String> historyLines;
  private final List<String> logRows;
  private int firstEpoch;
  private int bestEpoch = -1;
  private double bestValLoss = Double.POSITIVE_INFINITY;
  private SetMetrics testMetrics;
  private Checkpoint lastEpoch;
  /** Held from start or resume until the run ends: one process per run directory. */
  private RunLock lock;

  private final List<String> resumeNotes = new ArrayList<>();
  /** Judges each epoch's model on whole validation streams, with --window; null otherwise. */
  private final ValidationFidelity fidelity;

  private double bestFidelity = Double.POSITIVE_INFINITY;
  private int bestFidelityEpoch = -1;
  private String bestDropRule;
  private int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS;
  private boolean interrupted;
  private volatile boolean stopRequested;
  private final CountDownLatch stopped = new CountDownLatch(1);
  /**
   * Draws the plots off the training thread: a PNG takes tens of milliseconds, which the next epoch
   * need not wait for. Drained before the run returns.
   */
  private final ExecutorService plotter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lemurnn-plot");
    t.setDaemon(true);
    return t;
  });

  private TrainingRun(
      RunDirectory dir, TrainOptions options, DataSets data, int threads, Listener listener) {
    this.dir = dir;
    this.options = options;
    this.data = data;
    this.listener = listener;
    RunPlan plan = new RunPlan(options);
    this.trainer = new Trainer(plan.trainerSettings(plan.modelSpec(data), threads), data);
    this.historyLines = dir.lines(RunDirectory.HISTORY);
    this.logRows = new ArrayList<>(
        dir.lines(RunDirectory.LOG).stream().filter(l -> !l.startsWith("#")).toList());
    // measured validation files (or windows of streams) are judged as a user judges a link; the
    // original's short synthetic sequences by its validation loss alone
    boolean judged = options.sizes().window() > 0 || !options.tracePaths().isEmpty();
    this.fidelity = judged && !data.val().isEmpty() ? new ValidationFidelity(data.val()) : null;
    if (fidelity != null && Files.isRegularFile(dir.bestModel())) {
      // a resumed run keeps its best
      ValidationFidelity.Judgement kept = fidelity.judge(ModelFile.read(dir.bestModel()));
      bestFidelity = kept.score();
      bestDropRule = kept.dropRule();
    }
  }

  /**
   * A new run under {@code parent} (created if missing), its recurrent core trained on
   * {@code threads}.
   */
  public static TrainingRun start(
      TrainOptions options, Path parent, int threads, Listener listener) {
    RunPlan plan = new RunPlan(options);
    RunFit.check(plan);
    return start(
        options, plan.data(listener.generating(plan.sequenceCount())), parent, threads, listener);
  }

  /** A new run on {@code data}, which must be what {@code options} make ({@link RunPlan#data}). */
  static TrainingRun start(
      TrainOptions options, DataSets data, Path parent, int threads, Listener listener) {
    RunDirectory dir = RunDirectory.create(
        parent, new RunPlan(options).runName(data.dataType(), Instant.now().getEpochSecond()));
    RunLock lock = RunLock.acquire(dir.path());
    try {
      TrainingRun run = new TrainingRun(dir, options, data, threads, listener);
      if (options.schedule().init() != null)
        run.initFrom(Path.of(options.schedule().init()));
      RunProperties.write(dir, options, data, run.trainer.config());
      RunProperties.writeFittedLinks(dir.path(), data);
      SplitsFile.write(dir.path(), data.files());
      run.lock = lock;
      return run;
    } catch (RuntimeException | Error e) {
      lock.close();
      dir.removeAfterFailedStart()
          .ifPresent(listener::warning); // a run that never started leaves no folder behind
      throw e;
    }
  }

  /**
   * Continues the run in {@code runDir} after its newest checkpoint, with its own options
   * ({@code epochs}, if not null, replaces the number of epochs). Log lines after that checkpoint
   * are dropped: those epochs run again. A checkpoint whose seeds are not those of the options is
   * refused.
   */
  public static TrainingRun resume(Path runDir, Integer epochs, int threads, Listener listener) {
    RunDirectory dir = RunDirectory.open(runDir);
    RunLock lock = RunLock.acquire(dir.path());
    try {
      TrainingRun run = resumeLocked(dir, epochs, threads, listener);
      run.lock = lock;
      return run;
    } catch (RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  private static TrainingRun resumeLocked(
      RunDirectory dir, Integer epochs, int threads, Listener listener) {
    Path runDir = dir.path();
    Path properties = dir.path().resolve(RunDirectory.MODEL_PROPERTIES);
    TrainOptions options;
    try {
      options = RunDirectory.JSON.treeToValue(
          dir.readJson(RunDirectory.MODEL_PROPERTIES).get("options"), TrainOptions.class);
    } catch (IOException | RuntimeException e) {
      throw InputException.in(properties, "no usable options to resume from: " + e.getMessage());
    }
    if (options == null) {
      throw InputException.in(
          properties,
          "no 'options' to resume from (not written by lemurnn train): start a new run");
    }
    int epoch = dir.lastCheckpoint()
        .orElseThrow(() -> new InputException(
            runDir + " has no checkpoint (modelstate-*.safetensors) yet: start the run again"));
    if (epochs != null) options = options.withEpochs(epochs);
    Path checkpointFile = dir.checkpoint(epoch);
    Checkpoint checkpoint = Checkpoint.read(checkpointFile);
    // other seeds would draw other data and dropout masks: the resumed epochs would belong to
    // another run
    TrainOptions.Seeds seeds = options.seeds();
    if (checkpoint.torchSeed() != seeds.torchSeed() || checkpoint.dataSeed() != seeds.dataSeed()) {
      throw InputException.in(
          checkpointFile,
          "saved with torch_seed " + checkpoint.torchSeed() + " and data_seed "
              + checkpoint.dataSeed() + ", but " + properties + " has torch_seed "
              + seeds.torchSeed() + " and data_seed "
              + seeds.dataSeed() + ": put the checkpoint's seeds back there or start a new run");
    }
    RunPlan plan = new RunPlan(options);
    DataSets data = plan.data(listener.generating(plan.sequenceCount()));
    TrainingRun run = new TrainingRun(dir, options, data, threads, listener);
    // a writer killed half way (kill -9) leaves its temporary file; we hold the lock, so none is
    // live
    AtomicFile.removeStale(runDir)
        .forEach(name -> run.resumeNotes.add("removed " + name + ", left by a killed run"));
    run.resumeNotes.addAll(RunLogCheck.reconcile(
        dir, checkpoint.epoch(), options.schedule().learningRate(), run.historyLines, run.logRows));
    run.trainer.restore(
        checkpoint.weights(),
        checkpoint.bestWeights(),
        checkpoint.adamState(),
        checkpoint.adamStep());
    run.firstEpoch = checkpoint.epoch() + 1;
    run.bestEpoch = checkpoint.bestEpoch();
    run.bestValLoss = checkpoint.bestValLoss();
    run.lastEpoch = checkpoint;
    if (run.fidelity == null) run.bestFidelityEpoch = checkpoint.bestEpoch();
    else run.bestFidelityEpoch = lastBestFidelityEpoch(run.historyLines);
    // only now: a resume that failed above leaves model-properties.json as it was
    if (epochs != null) RunProperties.updateOptions(dir, options);
    return run;
  }

  /** The best_fidelity_epoch of the last history line, -1 if none says. */
  private static int lastBestFidelityEpoch(List<String> history) {
    if (history.isEmpty()) return -1;
    try {
      var line = RunDirectory.JSON.readTree(history.getLast());
      return line.path("best_fidelity_epoch").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Starts from a trained model's weights ({@code --init}): it must have the shape and features of
   * this run's.
   */
  private void initFrom(Path modelPath) {
    ModelFile init = Predictors.readModel(modelPath, null);
    ModelSpec want = trainer.config().spec(), have = init.spec();
    if (have.cell() != want.cell()
        || have.layers() != want.layers()
        || have.hidden() != want.hidden()
        || !have.inputStr().equals(want.inputStr())
        || have.units() != want.units()
        || have.normScale() != want.normScale()) {
      throw InputException.in(
          modelPath,
          "--init needs a model of this run's shape and features: it is a " + describe(have)
              + ", the run trains a " + describe(want)
              + " (give the same model flags, --inputs and data units)");
    }
    // the starting weights sit on this run's link (its fitted prior), whatever link they came from
    init = new ModelFile(want, init.tensors());
    trainer.model().load(init.tensors());
    trainer.keepAsBest();
    if (fidelity
        != null) { // the starting point is a candidate too: fine-tuning must beat it to replace it
      ValidationFidelity.Judgement judged = fidelity.judge(init);
      bestFidelity = judged.score();
      bestDropRule = judged.dropRule();
      judged.applyTo(init).write(dir.bestModel());
    }
  }

  private static String describe(ModelSpec s) {
    return s.cell().originalName() + " " + s.layers() + "x" + s.hidden() + " on " + s.inputStr()
        + " in " + s.units().fileName() + " units"
        + (s.normScale() != 1 ? " normalised by " + s.normScale() : "");
  }

  public Path directory() {
    return dir.path();
  }

  /** Keeps the newest {@code n} checkpoints, epoch models and plots (0: all of them). */
  public TrainingRun keepCheckpoints(int n) {
    if (n < 0) throw new InputException("--keep_checkpoints must be >= 0, got " + n);
    keepCheckpoints = n;
    return this;
  }

  public TrainOptions options() {
    return options;
  }

  /** Releases a run that will not be run (its trainer and its folder's lock). */
  public void close() {
    trainer.close();
    if (lock != null) lock.close();
  }

  /** Epochs already trained (a resumed run's first epoch) and the epochs it runs to. */
  public int firstEpoch() {
    return firstEpoch;
  }

  public int numEpochs() {
    return options.schedule().numEpochs();
  }

  /** What the run made so far: call after {@link #run}. */
  public Summary summary() {
    Path best = Files.isRegularFile(dir.bestModel()) ? dir.bestModel() : null;
    double ideal = Double.NaN;
    if (fidelity != null && best != null)
      ideal = new RunPlan(options).idealLink().map(fidelity::score).orElse(Double.NaN);
    int done = lastEpoch != null ? lastEpoch.epoch() + 1 : firstEpoch;
    return new Summary(
        dir.path(),
        best,
        bestFidelityEpoch,
        done,
        fidelity != null && best != null ? bestFidelity : Double.NaN,
        ideal,
        bestDropRule,
        interrupted);
  }

  /**
   * Trains the remaining epochs and returns the run directory. A Ctrl-C (shutdown hook) stops it at
   * the next batch and writes the checkpoint of the last complete epoch before the JVM exits.
   */
  public Path run() {
    return run(null);
  }

  /**
   * As {@link #run()}, but stops after the last epoch that ends before {@code deadline} (null: no
   * limit) would be passed, judging by the previous epoch's time; the stop is a normal end. A run
   * that has not finished an epoch yet runs one, however late.
   */
  public Path run(java.time.Instant deadline) {
    return run(deadline, 0);
  }

  /**
   * As {@link #run(Instant)}, but never stops for the deadline before {@code minEpochs} epochs of
   * this call have run: a minimum of work that a loaded machine cannot take away.
   */
  public Path run(java.time.Instant deadline, int minEpochs) {
    Thread hook = new Thread(this::stopAndWait, "lemurnn-train-checkpoint");
    Runtime.getRuntime().addShutdownHook(hook);
    try (BufferedWriter gradients = options.trackGrad() ? gradientWriter() : null) {
      listener.started(
          dir.path(),
          firstEpoch,
          options.schedule().numEpochs(),
          trainer.batchesPerEpoch(),
          java.util.stream.Stream.concat(resumeNotes.stream(), data.notes().stream())
              .toList());
      double lastSeconds = 0;
      for (int epoch = firstEpoch; epoch < options.schedule().numEpochs(); epoch++) {
        // a run without a finished epoch gets one whatever the deadline: a budget on a loaded
        // machine must still leave a model
        if (deadline != null
            && epoch - firstEpoch >= minEpochs
            && lastEpoch != null
            && Instant.now().plusMillis((long) (lastSeconds * 1000)).isAfter(deadline)) break;
        long start = System.nanoTime();
        runEpoch(epoch, gradients);
        lastSeconds = (System.nanoTime() - start) / 1e9;
      }
      if (lastEpoch != null) lastEpoch.write(dir.checkpoint(lastEpoch.epoch()));
      dir.keepNewest(keepCheckpoints);
      return dir.path();
    } catch (Stop stop) {
      // Ctrl-C: the epoch under way is lost; the last complete one is saved to resume from
      interrupted = true;
      if (lastEpoch != null) {
        lastEpoch.write(dir.checkpoint(lastEpoch.epoch()));
        listener.interrupted(dir.checkpoint(lastEpoch.epoch()));
      }
      return dir.path();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      finishPlots();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the countDown above
      }
      trainer.close();
      if (lock != null) lock.close();
    }
  }

  private void runEpoch(int epoch, BufferedWriter gradients) {
    long start = System.nanoTime();
    TrainLoss train = trainer.trainEpoch(
        epoch,
        index -> {
          if (stopRequested) throw new Stop();
          listener.batch(index);
        },
        gradients == null ? null : line -> write(gradients, line));
    SetMetrics valMetrics = trainer.validate();
    double valLoss = trainer.config().objective().validationLoss(valMetrics);
    Map<String, Double> val = new java.util.LinkedHashMap<>(valMetrics.byName());
    if (!Double.isFinite(train.loss()) || !Double.isFinite(valLoss)) {
      throw new InputException(
          "training diverged in epoch " + epoch + " (training loss " + train.loss()
              + ", validation loss " + valLoss + "): lower --learning_rate or use --normalize"
              + (bestEpoch >= 0 ? "; the best model so far is " + dir.model(bestEpoch) : ""));
    }
    boolean newBest = valLoss < bestValLoss || bestEpoch < 0;
    if (newBest) {
      bestEpoch = epoch;
      bestValLoss = valLoss;
      trainer.keepAsBest();
    }
    float[][][] testPredictions = null;
    if (newBest || testMetrics == null) {
      testPredictions = trainer.testPredictions();
      testMetrics = trainer.testMetrics(testPredictions);
    }
    double testLoss = trainer.config().objective().validationLoss(testMetrics);
    lastEpoch = new Checkpoint(
        epoch,
        bestEpoch,
        bestValLoss,
        trainer.adam().step(),
        options.seeds().torchSeed(),
        options.seeds().dataSeed(),
        trainer.model().tensors(),
        trainer.best().tensors(),
        trainer.adam().state());
    if (newBest) {
      lastEpoch.write(dir.checkpoint(epoch));
      trainer.best().toModelFile().write(dir.model(epoch));
      if (fidelity == null) {
        trainer.best().toModelFile().write(dir.bestModel());
        bestFidelityEpoch = epoch;
      }
      plot(epoch, testPredictions);
    }
    if (fidelity != null) {
      ModelFile current = trainer.model().toModelFile();
      ValidationFidelity.Judgement judged = fidelity.judge(current);
      val.put("fidelity", judged.score());
      if (judged.score() < bestFidelity) {
        bestFidelity = judged.score();
        bestFidelityEpoch = epoch;
        bestDropRule = judged.dropRule();
        judged.applyTo(current).write(dir.bestModel());
      }
    }
    trainer.model().toModelFile().write(dir.lastModel());
    dir.keepNewest(keepCheckpoints);
    double seconds = (System.nanoTime() - start) / 1e9;
    appendHistory(epoch, train, val, valLoss, testLoss, seconds);
    appendLog(epoch, train.loss(), val, valLoss, testLoss, seconds);
    listener.epoch(new EpochSummary(
        epoch,
        options.schedule().numEpochs(),
        train.loss(),
        valLoss,
        testLoss,
        bestEpoch,
        newBest,
        val.getOrDefault("fidelity", Double.NaN),
        seconds));
  }

  /** Thrown from the batch callback to leave an epoch at once when Ctrl-C came. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  private void stopAndWait() {
    stopRequested = true;
    try {
      stopped.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void plot(int epoch, float[][][] predictions) {
    SequenceSet test = trainer.testSet();
    LinkSample sample = data.test().getFirst();
    double[] arrival = new double[test.steps()];
    double t = 0;
    for (int i = 0; i < arrival.length; i++) arrival[i] = t += sample.interPacketTime()[i];
    // in the sample's units: the model's backlog is divided by the normalisation scale (1 if none)
    double normScale = trainer.config().spec().normScale();
    float[] trueBacklog = new float[test.steps()],
        predBacklog = new float[test.steps()],
        predDrops = new float[test.steps()];
    for (int i = 0; i < test.steps(); i++) {
      trueBacklog[i] = (float) sample.backlog()[i];
      predBacklog[i] = (float) (predictions[0][i][Predictor.BACKLOG] * normScale);
      predDrops[i] = Predictor.dropped(predictions[0][i]) ? 1 : 0;
    }
    Path png = dir.plot(epoch);
    String title = dir.path().getFileName() + ", epoch " + epoch;
    float[] trueDrops = test.sequence(test.drops(), 0);
    plotter.execute(() -> {
      try {
        BacklogPlot.write(
            png, title, arrival, trueBacklog, predBacklog, trueDrops, predDrops, sample.units());
      } catch (RuntimeException e) {
        // a picture is not worth a run: say so and train on
        listener.warning("could not draw " + png + ": " + e.getMessage());
      }
    });
  }

  private void finishPlots() {
    plotter.shutdown();
    try {
      plotter.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void appendHistory(
      int epoch,
      TrainLoss train,
      Map<String, Double> val,
      double valLoss,
      double testLoss,
      double seconds) {
    ObjectNode line = RunDirectory.JSON.createObjectNode();
    line.put("epoch", epoch);
    line.put("learning_rate", options.schedule().learningRate());
    line.put("best_model", bestEpoch);
    line.put("train_loss", train.loss());
    line.put("val_loss", valLoss);
    line.put("test_loss", testLoss);
    line.put("seconds", seconds);
    if (fidelity != null) line.put("best_fidelity_epoch", bestFidelityEpoch);
    train.byName().forEach(line.putObject("train_loss_details")::put);
    val.forEach(line.putObject("val_loss_details")::put);
    testMetrics.byName().forEach(line.putObject("test_loss_details")::put);
    historyLines.add(line.toString());
    dir.writeLines(RunDirectory.HISTORY, historyLines);
  }

  private void appendLog(
      int epoch,
      double trainLoss,
      Map<String, Double> val,
      double valLoss,
      double testLoss,
      double seconds) {
    logRows.add(LogRow.of(
        epoch, trainLoss, valLoss, testLoss, bestEpoch, seconds, val, testMetrics.byName()));
    List<String> lines = new ArrayList<>(LogHeader.lines(trainer.config().objective()));
    lines.add("# " + String.join("\t", LogRow.columns(val, testMetrics.byName())));
    lines.addAll(logRows);
    dir.writeLines(RunDirectory.LOG, lines);
  }

  private BufferedWriter gradientWriter() throws IOException {
    // a debugging dump, appended batch by batch: too large to rewrite atomically
    BufferedWriter w = Files.newBufferedWriter(
        dir.gradientTracker(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    w.write("# epoch\tbatch\t" + String.join("\t", trainer.model().stateDict().keySet())
        + " (L2 norm of each gradient)\n");
    return w;
  }

  private static void write(BufferedWriter w, String line) {
    try {
      w.write(line);
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
