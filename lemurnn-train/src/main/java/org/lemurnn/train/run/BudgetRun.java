package org.lemurnn.train.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.trace.LinkSample;

/**
 * {@code train --dag_data DIR --budget_minutes M}: the most faithful model of the measured traces
 * that M minutes of wall time train here, by the recipe measured on kernel links (issue 13): a
 * model trained only on a simulated link transfers to the real one better than one trained on a few
 * measured files, so first pretrain on a synthetic byte queue matched to the training traces
 * ({@link MatchedPreset}: their capacities, queues, sizes and loads; long streams cut into
 * windows), then fine-tune on windows of the traces themselves from the pretrained weights, and
 * keep the model that emulates the validation traces best (whole traces through the forwarder's
 * path: drop rate and latency W1), be it the pretrained one.
 *
 * <p>Everything goes into one directory, {@code budget-<unix time>/} under {@code --out}: the
 * matched preset, the pretraining run, the fine-tuning run (the usual run directories) and
 * {@code model-best.safetensors}, the model forward should load.
 */
public final class BudgetRun {
  /**
   * Share of the budget that pretraining gets; fine-tuning gets the rest. Fine-tuning on 27 files
   * overfits fast: on kernel-tbf its validation fidelity was best after about 100 epochs (10 s) and
   * worse at every later check of a 6-minute fine-tune, while pretraining on fresh synthetic
   * streams went on improving.
   */
  static final double PRETRAIN_SHARE = 0.8;
  /** Fine-tuning runs at this fraction of the learning rate: it refines, it must not forget. */
  static final double FINE_TUNE_LEARNING_RATE_FACTOR = 1.0 / 3;
  /** Synthetic pretraining streams: count x packets, cut into the run's windows. */
  static final double PRETRAIN_KILO_STREAMS = 1, PRETRAIN_KILO_VAL = 0.02;

  static final int PRETRAIN_STREAM_PACKETS = 2048;

  /**
   * The least work a budget does, however loaded the machine (issue 16: the same command must give
   * a faithful model every time, and a wall-time budget alone trained a sixth as much while six
   * other jobs shared the two cores): pretraining epochs and fine-tuning epochs run before the
   * budget may stop them: {@value #MIN_PRETRAIN_EPOCHS_PER_MINUTE} pretraining epochs per minute of
   * budget (at least one) and {@value #MIN_FINE_TUNE_EPOCHS} fine-tuning epochs. A floor, not a
   * calibration: under the load of this session (load average 15 to 30 on 2 cores) a pretraining
   * epoch of the recipe's model took 50 s, so 12 minutes trained 9 of them; an idle machine does
   * more in the budget and never meets the floor. Under load the run takes longer than its budget
   * instead of ending with a model that barely trained.
   */
  static final double MIN_PRETRAIN_EPOCHS_PER_MINUTE = 0.5;

  static final int MIN_FINE_TUNE_EPOCHS = 30;

  /**
   * Traffic of the synthetic pretraining unless --traffic says otherwise: what real programs send
   * beside Poisson (issue 22), constant rates (an overload when above C) and bursts, so that a
   * model has met them before it carries them.
   */
  static final List<String> PRETRAIN_TRAFFIC =
      List.of("exponential", "cbr", "bursty_cbr", "bursty_exponential");

  private BudgetRun() {}

  static int minPretrainEpochs(double budgetMinutes) {
    return Math.max(1, (int) Math.round(budgetMinutes * MIN_PRETRAIN_EPOCHS_PER_MINUTE));
  }

  /**
   * Runs the recipe for {@code fineTune} (options of a windowed run on --dag_data) and returns the
   * budget directory.
   */
  public static Path run(
      TrainOptions fineTune,
      double budgetMinutes,
      Path parent,
      int threads,
      TrainingRun.Listener listener) {
    if (fineTune.dagData().isEmpty())
      throw new InputException("--budget_minutes trains on measured traces: give --dag_data");
    if (fineTune.sizes().window() == 0)
      throw new IllegalArgumentException("the recipe trains on windows");
    if (!(budgetMinutes > 0))
      throw new InputException("--budget_minutes must be > 0, got " + budgetMinutes);
    Instant start = Instant.now();
    Instant end = start.plus(Duration.ofMillis((long) (budgetMinutes * 60_000)));
    Path dir = parent.resolve("budget-" + start.getEpochSecond());
    if (Files.exists(dir))
      throw new InputException(dir + " exists already: wait a second or choose another --out");

    RunFit.check(fineTune);
    DataSets measured =
        fineTune.data(n -> {}); // read once: for the matched preset and the fine-tuning
    List<LinkSample> streams = new ArrayList<>();
    for (LoaderSet set : measured.train()) streams.addAll(set.samples());
    Path preset = dir.resolve("matched-link.json");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    boolean packets = measured.prior().packets();
    AtomicFile.writeString(preset, MatchedPreset.of(streams, packets).json());
    RunProperties.writeFittedLinks(dir, measured);
    SplitsFile.write(dir, measured.files()); // evaluate --run reads the held-out files from here

    TrainOptions pretrain = fineTune.with(Map.of(
        "dag_data",
        List.of(),
        "link_properties",
        List.of(preset.toString()),
        "traffic",
        fineTune.link().traffic().isEmpty() ? PRETRAIN_TRAFFIC : fineTune.link().traffic(),
        "seq_len",
        Math.max(
            PRETRAIN_STREAM_PACKETS,
            fineTune.sizes().window() + fineTune.sizes().burnIn()),
        "kilo_training_samples",
        PRETRAIN_KILO_STREAMS,
        "kilo_val_samples",
        PRETRAIN_KILO_VAL,
        "kilo_test_samples",
        PRETRAIN_KILO_VAL,
        "infinite_queue",
        false,
        "codel",
        false,
        "packetqueue",
        packets)); // a link fitted as a packet queue pretrains on packet queues
    Instant pretrainEnd = start.plus(Duration.between(start, end)
        .multipliedBy((long) (PRETRAIN_SHARE * 1000))
        .dividedBy(1000));
    TrainingRun first = TrainingRun.start(pretrain, dir, threads, listener);
    Path pretrained =
        first.run(pretrainEnd, minPretrainEpochs(budgetMinutes)).resolve(RunDirectory.BEST_MODEL);
    if (!Files.isRegularFile(pretrained))
      throw new InputException(
          "the budget ran out before pretraining finished an epoch: give more minutes");

    // init and learning rate change no data: the files read above are the fine-tuning's
    TrainingRun second = TrainingRun.start(
        fineTune.with(Map.of(
            "init",
            pretrained.toString(),
            "learning_rate",
            fineTune.schedule().learningRate() * FINE_TUNE_LEARNING_RATE_FACTOR)),
        measured,
        dir,
        threads,
        listener);
    Path best = second.run(end, MIN_FINE_TUNE_EPOCHS).resolve(RunDirectory.BEST_MODEL);
    AtomicFile.write(dir.resolve(RunDirectory.BEST_MODEL), out -> Files.copy(best, out));
    return dir;
  }
}
