package org.lemurnn.train.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.metrics.SetMetrics;
import org.lemurnn.model.ModelFile;
import org.lemurnn.train.TrainLoss;
import org.lemurnn.train.Trainer;

/**
 * One training run from options to files (docs/architecture.md, Training): makes the data and the
 * run directory, then every epoch trains, validates, keeps the best model by validation loss, tests
 * the best model so far, lets the {@link BestModel} rule pick the model to use, and has the
 * {@link RunRecord} write the history, the log and, on a new best, the checkpoint, the model file
 * and the plot. Resumable from its last checkpoint; Ctrl-C writes one first.
 */
public final class TrainingRun {
  /** Checkpoints, epoch models and plots kept by default: the newest of each (see keep). */
  public static final int DEFAULT_KEEP_CHECKPOINTS = 3;

  private final RunDirectory dir;
  private final TrainOptions options;
  private final DataSets data;
  private final Trainer trainer;
  private final RunListener listener;
  private final RunRecord record;
  private final BestModel best;
  private int firstEpoch;
  private int bestEpoch = -1;
  private double bestValLoss = Double.POSITIVE_INFINITY;
  private SetMetrics testMetrics;
  private Checkpoint lastEpoch;
  /** Held from start or resume until the run ends: one process per run directory. */
  private RunLock lock;

  private final List<String> resumeNotes = new ArrayList<>();
  private int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS;
  private boolean interrupted;
  /** Ctrl-C while {@link #run} runs; null before. */
  private StopOnShutdown ctrlC;

  private TrainingRun(
      RunDirectory dir, TrainOptions options, DataSets data, int threads, RunListener listener) {
    this.dir = dir;
    this.options = options;
    this.data = data;
    this.listener = listener;
    RunPlan plan = new RunPlan(options);
    this.trainer = new Trainer(plan.trainerSettings(plan.modelSpec(data), threads), data);
    this.record = new RunRecord(
        dir, options.schedule().learningRate(), trainer.config().objective(), listener);
    this.best = new BestModel(dir, options, data);
  }

  /**
   * A new run under {@code parent} (created if missing), its recurrent core trained on
   * {@code threads}.
   */
  public static TrainingRun start(
      TrainOptions options, Path parent, int threads, RunListener listener) {
    RunPlan plan = new RunPlan(options);
    RunFit.check(plan);
    DataSets data = plan.data(listener.generating(plan.sequenceCount()));
    return start(options, data, parent, threads, listener);
  }

  /** A new run on {@code data}, which must be what {@code options} make ({@link RunPlan#data}). */
  static TrainingRun start(
      TrainOptions options, DataSets data, Path parent, int threads, RunListener listener) {
    RunPlan plan = new RunPlan(options);
    RunDirectory dir =
        RunDirectory.create(parent, plan.runName(data.dataType(), Instant.now().getEpochSecond()));
    RunLock lock = RunLock.acquire(dir.path());
    try {
      TrainingRun run = new TrainingRun(dir, options, data, threads, listener);
      if (options.schedule().init() != null) {
        ModelFile init = plan.startingModel(run.trainer.config().spec());
        run.trainer.model().load(init.tensors());
        run.trainer.keepAsBest();
        run.best.startFrom(init);
      }
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
  public static TrainingRun resume(Path runDir, Integer epochs, int threads, RunListener listener) {
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
      RunDirectory dir, Integer epochs, int threads, RunListener listener) {
    Path runDir = dir.path();
    TrainOptions options = RunProperties.readOptions(dir);
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
              + checkpoint.dataSeed() + ", but " + dir.path().resolve(RunDirectory.MODEL_PROPERTIES)
              + " has torch_seed " + seeds.torchSeed() + " and data_seed " + seeds.dataSeed()
              + ": put the checkpoint's seeds back there or start a new run");
    }
    RunPlan plan = new RunPlan(options);
    DataSets data = plan.data(listener.generating(plan.sequenceCount()));
    TrainingRun run = new TrainingRun(dir, options, data, threads, listener);
    // a writer killed half way (kill -9) leaves its temporary file; we hold the lock, so none is
    // live
    AtomicFile.removeStale(runDir)
        .forEach(name -> run.resumeNotes.add("removed " + name + ", left by a killed run"));
    run.resumeNotes.addAll(run.record.reconcile(checkpoint.epoch()));
    run.trainer.restore(
        checkpoint.weights(),
        checkpoint.bestWeights(),
        checkpoint.adamState(),
        checkpoint.adamStep());
    run.firstEpoch = checkpoint.epoch() + 1;
    run.bestEpoch = checkpoint.bestEpoch();
    run.bestValLoss = checkpoint.bestValLoss();
    run.lastEpoch = checkpoint;
    run.best.resumed(checkpoint.bestEpoch(), run.record.lastBestFidelityEpoch());
    // only now: a resume that failed above leaves model-properties.json as it was
    if (epochs != null) RunProperties.updateOptions(dir, options);
    return run;
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
  public RunSummary summary() {
    int done = lastEpoch != null ? lastEpoch.epoch() + 1 : firstEpoch;
    return new RunSummary(
        dir.path(),
        best.file().orElse(null),
        best.epoch(),
        done,
        best.score(),
        best.idealScore(() -> new RunPlan(options).idealLink()),
        best.dropRule(),
        interrupted);
  }

  /**
   * Trains the remaining epochs and returns the run directory. A Ctrl-C (shutdown hook) stops it at
   * the next batch and writes the checkpoint of the last complete epoch before the JVM exits.
   */
  public Path run() {
    return run(null, 0);
  }

  /**
   * As {@link #run()}, but stops after the last epoch that ends before {@code deadline} (null: no
   * limit) would be passed, judging by the previous epoch's time; the stop is a normal end. A run
   * that has not finished an epoch yet runs one, however late, and the deadline never stops it
   * before {@code minEpochs} epochs of this call have run: a minimum of work that a loaded machine
   * cannot take away.
   */
  public Path run(Instant deadline, int minEpochs) {
    ctrlC = new StopOnShutdown();
    try {
      Consumer<String> gradients =
          options.trackGrad() ? record.gradients(trainer.model().stateDict().keySet()) : null;
      listener.started(
          dir.path(),
          firstEpoch,
          options.schedule().numEpochs(),
          trainer.batchesPerEpoch(),
          Stream.concat(resumeNotes.stream(), data.notes().stream()).toList());
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
      if (lastEpoch != null) record.checkpoint(lastEpoch);
      record.keepNewest(keepCheckpoints);
      return dir.path();
    } catch (StopOnShutdown.Stop stop) {
      // Ctrl-C: the epoch under way is lost; the last complete one is saved to resume from
      interrupted = true;
      if (lastEpoch != null) listener.interrupted(record.checkpoint(lastEpoch));
      return dir.path();
    } finally {
      try {
        record.close();
      } finally {
        ctrlC.close();
        trainer.close();
        if (lock != null) lock.close();
      }
    }
  }

  private void runEpoch(int epoch, Consumer<String> gradients) {
    long start = System.nanoTime();
    TrainLoss train = trainer.trainEpoch(
        epoch,
        index -> {
          ctrlC.check();
          listener.batch(index);
        },
        gradients);
    SetMetrics valMetrics = trainer.validate();
    double valLoss = trainer.config().objective().validationLoss(valMetrics);
    Map<String, Double> val = new LinkedHashMap<>(valMetrics.byName());
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
    ModelFile bestByLoss = null;
    if (newBest) {
      record.checkpoint(lastEpoch);
      bestByLoss = trainer.best().toModelFile();
      record.epochModel(epoch, bestByLoss);
      // in the sample's units: the model's backlog is divided by the normalisation scale (1 if
      // none)
      record.plot(
          epoch,
          trainer.testSet(),
          data.test().getFirst(),
          testPredictions,
          trainer.config().spec().normScale());
    }
    ModelFile current = trainer.model().toModelFile();
    double fidelity = best.epochEnded(epoch, bestByLoss, current);
    if (best.byFidelity()) val.put("fidelity", fidelity);
    record.lastModel(current);
    record.keepNewest(keepCheckpoints);
    double seconds = (System.nanoTime() - start) / 1e9;
    record.append(new RunRecord.Epoch(
        epoch,
        train,
        val,
        valLoss,
        testMetrics,
        testLoss,
        bestEpoch,
        best.byFidelity() ? OptionalInt.of(best.epoch()) : OptionalInt.empty(),
        seconds));
    listener.epoch(new EpochSummary(
        epoch,
        options.schedule().numEpochs(),
        train.loss(),
        valLoss,
        testLoss,
        bestEpoch,
        newBest,
        fidelity,
        seconds));
  }
}
