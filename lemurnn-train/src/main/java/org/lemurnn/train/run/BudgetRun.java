package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;
import org.lemurnn.sample.LinkSample;

/**
 * {@code train --dag_data DIR --budget_minutes M}: the most faithful model of the measured traces
 * that M minutes of wall time train here, by the {@link BudgetRecipe}: first pretrain on a
 * synthetic byte queue matched to the training traces ({@link MatchedPreset}: their capacities,
 * queues, sizes and loads; long streams cut into windows), then fine-tune on windows of the traces
 * themselves from the pretrained weights, and keep the model that emulates the validation traces
 * best (whole traces through the forwarder's path: drop rate and latency W1), be it the pretrained
 * one.
 *
 * <p>Everything goes into one directory, {@code budget-<unix time>/} under {@code --out}: the
 * matched preset, the file split, the pretraining run, the fine-tuning run (the usual run
 * directories), {@code model-best.safetensors}, the model forward should load, and
 * {@code budget.json}, the budget's own state (minutes given and spent, its runs), which
 * {@code --resume} continues from: a Ctrl-C leaves the budget, not one of its runs, to resume.
 */
public final class BudgetRun {
  private BudgetRun() {}

  /** The budget's state, rewritten after every epoch: what --resume continues from. */
  static final String STATE = "budget.json";

  /** What a user interface hears of a budget: its phases, beside each run's epochs. */
  public interface Listener extends RunListener {
    /**
     * A phase starts: {@code index} of {@code count} (pretrain 1/2, fine-tune 2/2), ending by
     * {@code phaseEnd}, the whole budget by {@code budgetEnd}; {@code spentSeconds} were spent
     * before this process (a resumed budget).
     */
    default void phase(
        String name,
        int index,
        int count,
        String what,
        Instant phaseEnd,
        Instant budgetEnd,
        double spentSeconds) {}
  }

  /** budget.json. */
  record State(
      double budgetMinutes,
      double spentSeconds,
      String pretrainRun,
      String fineTuneRun,
      JsonNode fineTuneOptions,
      boolean ended) {
    State spent(double seconds) {
      return new State(budgetMinutes, seconds, pretrainRun, fineTuneRun, fineTuneOptions, ended);
    }

    State withRuns(String pretrain, String fineTune) {
      return new State(budgetMinutes, spentSeconds, pretrain, fineTune, fineTuneOptions, ended);
    }

    /**
     * The budget ran to its end: its last epoch ended too close to the deadline for another, so the
     * seconds left (up to an epoch's, more on a loaded machine) are not time to resume in.
     */
    State end() {
      return new State(
          budgetMinutes, spentSeconds, pretrainRun, fineTuneRun, fineTuneOptions, true);
    }

    /** Whether a resume without more minutes has nothing to do. */
    boolean isSpent() {
      return ended || spentSeconds >= budgetMinutes * 60;
    }

    void write(Path dir) {
      try {
        AtomicFile.writeString(
            dir.resolve(STATE),
            RunDirectory.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static State read(Path dir) {
      Path file = dir.resolve(STATE);
      try {
        return RunDirectory.JSON.treeToValue(
            InputFiles.json(file, "a budget's state", RunDirectory.MAX_TEXT_BYTES), State.class);
      } catch (IOException | RuntimeException e) {
        throw InputException.in(file, "not a budget's state: " + e.getMessage());
      }
    }
  }

  /** Whether {@code dir} is a budget's folder (its state in it). */
  public static boolean isBudget(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE));
  }

  /**
   * Runs the recipe for {@code fineTune} (options of a windowed run on --dag_data) and returns what
   * it made, in the budget directory.
   */
  public static RunSummary run(
      TrainOptions fineTune,
      double budgetMinutes,
      Path parent,
      int threads,
      int keepCheckpoints,
      Listener listener) {
    if (fineTune.tracePaths().isEmpty())
      throw new InputException("--budget_minutes trains on measured traces: give --dag_data");
    if (fineTune.sizes().window() == 0)
      throw new IllegalArgumentException("the recipe trains on windows");
    if (!(budgetMinutes > 0) || Double.isInfinite(budgetMinutes))
      throw new InputException("--budget_minutes must be > 0, got " + budgetMinutes);
    Path dir = parent.resolve("budget-" + Instant.now().getEpochSecond());
    if (Files.exists(dir))
      throw new InputException(dir + " exists already: wait a second or choose another --out");

    RunFit.check(new RunPlan(fineTune));
    // read once: for the matched preset and the fine-tuning
    DataSets measured = new RunPlan(fineTune).data(n -> {});
    List<LinkSample> streams = new ArrayList<>();
    for (LoaderSet set : measured.train()) streams.addAll(set.samples());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    boolean packets = measured.prior().packets();
    AtomicFile.writeString(
        dir.resolve(PRESET), MatchedPreset.of(streams, packets).json());
    RunProperties.writeFittedLinks(dir, measured);
    SplitsFile.write(dir, measured.files()); // evaluate --run reads the held-out files from here
    State state =
        new State(budgetMinutes, 0, null, null, RunDirectory.JSON.valueToTree(fineTune), false);
    state.write(dir);
    return new Session(dir, state, fineTune, measured, threads, keepCheckpoints, listener).run();
  }

  /**
   * Continues the budget in {@code dir} where it stopped: in the run it was in, within the minutes
   * it had left, or {@code moreMinutes} from now if given.
   */
  public static RunSummary resume(
      Path dir, Double moreMinutes, int threads, int keepCheckpoints, Listener listener) {
    State state = State.read(dir);
    if (moreMinutes != null) {
      if (!(moreMinutes > 0) || Double.isInfinite(moreMinutes))
        throw new InputException("--budget_minutes must be > 0, got " + moreMinutes);
      state = new State(
          state.spentSeconds() / 60 + moreMinutes,
          state.spentSeconds(),
          state.pretrainRun(),
          state.fineTuneRun(),
          state.fineTuneOptions(),
          false);
    }
    if (state.isSpent())
      throw new InputException("--resume " + dir + ": its " + state.budgetMinutes()
          + " minutes are spent; give --budget_minutes M for M more");
    TrainOptions fineTune;
    try {
      fineTune = RunDirectory.JSON.treeToValue(state.fineTuneOptions(), TrainOptions.class);
    } catch (IOException | RuntimeException e) {
      throw InputException.in(dir.resolve(STATE), "no usable options: " + e.getMessage());
    }
    state.write(dir);
    return new Session(dir, state, fineTune, null, threads, keepCheckpoints, listener).run();
  }

  static final String PRESET = "matched-link.json";

  /** One process's share of a budget: from the state it found to the end or a Ctrl-C. */
  private static final class Session {
    private final Path dir;
    private State state;
    private final TrainOptions fineTune;
    private final DataSets measured;
    private final int threads, keep;
    private final Listener listener;
    private final Instant started = Instant.now();
    private final double spentBefore;
    private final Instant end, pretrainEnd;
    private final boolean packets;

    Session(
        Path dir,
        State state,
        TrainOptions fineTune,
        DataSets measured,
        int threads,
        int keep,
        Listener listener) {
      this.dir = dir;
      this.state = state;
      this.fineTune = fineTune;
      this.measured = measured;
      this.threads = threads;
      this.keep = keep;
      this.listener = listener;
      this.spentBefore = state.spentSeconds();
      // measured is read only by a new budget; a resumed one whose pretraining never finished an
      // epoch starts it again on a byte queue
      this.packets = measured != null && measured.prior().packets();
      double total = state.budgetMinutes() * 60;
      end = started.plusMillis((long) ((total - spentBefore) * 1000));
      pretrainEnd = started.plusMillis(
          (long) (Math.max(0, BudgetRecipe.PRETRAIN_SHARE * total - spentBefore) * 1000));
    }

    RunSummary run() {
      if (state.fineTuneRun() == null) {
        listener.phase(
            "pretrain",
            1,
            2,
            "on a simulated queue matched to the files (" + PRESET + ")",
            pretrainEnd,
            end,
            state.spentSeconds());
        boolean resumed = resumable(state.pretrainRun());
        TrainingRun first = resumed
            ? TrainingRun.resume(dir.resolve(state.pretrainRun()), null, threads, tracking())
            : TrainingRun.start(
                BudgetRecipe.pretrain(fineTune, dir.resolve(PRESET), packets),
                dir,
                threads,
                tracking());
        state = state.withRuns(first.directory().getFileName().toString(), null);
        state.write(dir);
        // a new pretraining does the budget's floor of work; a resumed one goes on within the time
        int floor = resumed ? 0 : BudgetRecipe.minPretrainEpochs(state.budgetMinutes());
        first.keepCheckpoints(keep).run(pretrainEnd, floor);
        RunSummary pretrained = first.summary();
        // after Ctrl-C the JVM is shutting down: the time spent as of the last epoch stands
        if (pretrained.interrupted()) return pretrained.in(dir, null);
        saveSpent();
        if (pretrained.bestModel() == null)
          throw new InputException(
              "the budget ran out before pretraining finished an epoch: give more minutes");
      }
      listener.phase(
          "fine-tune",
          2,
          2,
          "on the files, from the pretrained model",
          end,
          end,
          state.spentSeconds());
      TrainingRun second;
      boolean fineTuneResumed = resumable(state.fineTuneRun());
      if (!fineTuneResumed) {
        Path pretrained = dir.resolve(state.pretrainRun()).resolve(RunDirectory.BEST_MODEL);
        TrainOptions options = BudgetRecipe.fromPretrained(fineTune, pretrained);
        second = measured != null
            ? TrainingRun.start(options, measured, dir, threads, tracking())
            : TrainingRun.start(options, dir, threads, tracking());
        state =
            state.withRuns(state.pretrainRun(), second.directory().getFileName().toString());
        state.write(dir);
      } else {
        second = TrainingRun.resume(dir.resolve(state.fineTuneRun()), null, threads, tracking());
      }
      // resumed, it still trains one epoch for the minutes given: on a loaded machine, loading the
      // data may take them all
      Path best = second
          .keepCheckpoints(keep)
          .run(end, fineTuneResumed ? 1 : BudgetRecipe.MIN_FINE_TUNE_EPOCHS)
          .resolve(RunDirectory.BEST_MODEL);
      RunSummary done = second.summary();
      if (!done.interrupted()) {
        state = state.end();
        saveSpent();
      }
      if (Files.isRegularFile(best))
        AtomicFile.write(dir.resolve(RunDirectory.BEST_MODEL), out -> Files.copy(best, out));
      return done.in(dir, dir.resolve(RunDirectory.BEST_MODEL));
    }

    /**
     * Whether the budget's run {@code name} has a checkpoint to go on from; one stopped before its
     * first epoch ended holds nothing and is removed, to start afresh.
     */
    private boolean resumable(String name) {
      if (name == null) return false;
      RunDirectory run = RunDirectory.open(dir.resolve(name));
      if (run.lastCheckpoint().isPresent()) return true;
      run.removeAfterFailedStart().ifPresent(listener::warning);
      return false;
    }

    private void saveSpent() {
      state = state.spent(spentBefore + Duration.between(started, Instant.now()).toMillis() / 1e3);
      state.write(dir);
    }

    /** The run's listener, which also writes the time spent after every epoch. */
    private RunListener tracking() {
      return new RunListener() {
        @Override
        public IntConsumer generating(int sequences) {
          return listener.generating(sequences);
        }

        @Override
        public void started(
            Path runDir, int firstEpoch, int epochs, int batchesPerEpoch, List<String> notes) {
          listener.started(runDir, firstEpoch, epochs, batchesPerEpoch, notes);
        }

        @Override
        public void batch(int index) {
          listener.batch(index);
        }

        @Override
        public void epoch(EpochSummary summary) {
          saveSpent();
          listener.epoch(summary);
        }

        @Override
        public void interrupted(Path checkpoint) {
          // the budget is what resumes, not one of its runs
          listener.interrupted(dir.resolve(STATE));
        }

        @Override
        public void warning(String message) {
          listener.warning(message);
        }
      };
    }
  }
}
