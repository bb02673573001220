package org.lemurnn.train.run;

import java.nio.file.Path;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;

/**
 * The recipe of {@code train --budget_minutes} ({@link BudgetRun}, docs/training.md), its choices
 * in one place: the fine-tuning run's model, windows and file split, taken for every flag the user
 * did not give ({@link #defaults}), the synthetic pretraining run made from it, and how the
 * budget's time is shared. Measured on kernel links: a model trained only on a simulated link
 * transfers to the real one better than one trained on a few measured files, so it pretrains on a
 * synthetic byte queue matched to the traces, then fine-tunes on windows of the traces from the
 * pretrained weights.
 */
public final class BudgetRecipe {
  private BudgetRecipe() {}

  /** The fine-tuning model: a ReLU RNN of this many hidden units (when no model type is given). */
  public static final int HIDDEN_SIZE = 16;

  /** Windows of this many scored packets after this many that bring the state up to date. */
  public static final int WINDOW = 256, BURN_IN = 128;

  /**
   * The inputs: b capped at the queue (idle gaps read as an empty queue) and the ideal queue's
   * backlog and drop, the physical prior the model corrects.
   */
  public static final String INPUTS = "Bscqix";

  /** The sequence length of validation and test: whole files. */
  public static final int WHOLE_FILES = Integer.MAX_VALUE;

  /** The epochs of a budget's runs: as many as its time allows (the budget ends them). */
  public static final int UNTIL_THE_BUDGET_ENDS = Integer.MAX_VALUE;

  /**
   * Shares of the files for training, validation and test. They go into the options as the three
   * set sizes, which on measured traces cut into windows only proportion the files between the sets
   * ({@link TrainOptions.Sizes}).
   */
  public static final double TRAIN_FILES = 0.75, VAL_FILES = 0.15, TEST_FILES = 0.1;

  /** The links are fitted where the rate varies, else taken from the names (docs/results.md). */
  public static final LinkFitting FIT_LINKS = LinkFitting.VARYING;

  /**
   * Share of the budget that pretraining gets; fine-tuning gets the rest. Fine-tuning on a few
   * dozen files overfits fast (its validation fidelity is best early and worse at every later
   * check), while pretraining on fresh synthetic streams goes on improving.
   */
  static final double PRETRAIN_SHARE = 0.8;

  /** Fine-tuning runs at this fraction of the learning rate: it refines, it must not forget. */
  static final double FINE_TUNE_LEARNING_RATE_FACTOR = 1.0 / 3;

  /** Synthetic pretraining streams: count x packets, cut into the run's windows. */
  static final double PRETRAIN_KILO_STREAMS = 1, PRETRAIN_KILO_VAL = 0.02;

  static final int PRETRAIN_STREAM_PACKETS = 2048;

  /**
   * The least work a budget does, however loaded the machine, for the same command must give a
   * faithful model every time, and a wall-time budget alone trains a fraction as much while other
   * jobs share the cores: pretraining epochs and fine-tuning epochs run before the budget may stop
   * them: {@value #MIN_PRETRAIN_EPOCHS_PER_MINUTE} pretraining epochs per minute of budget (at
   * least one) and {@value #MIN_FINE_TUNE_EPOCHS} fine-tuning epochs. A floor, not a calibration:
   * an idle machine does more in the budget and never meets it; under load the run takes longer
   * than its budget instead of ending with a model that barely trained (docs/results.md).
   */
  static final double MIN_PRETRAIN_EPOCHS_PER_MINUTE = 0.5;

  static final int MIN_FINE_TUNE_EPOCHS = 30;

  /**
   * Traffic of the synthetic pretraining unless --traffic says otherwise: what real programs send
   * beside Poisson, constant rates (an overload when above C) and bursts, so that a model has met
   * them before it carries them.
   */
  static final List<String> PRETRAIN_TRAFFIC =
      List.of("exponential", "cbr", "bursty_cbr", "bursty_exponential");

  /**
   * The recipe's choices for the options a user leaves out, as one value: its model (a ReLU RNN of
   * {@link #HIDDEN_SIZE}; another {@code cell} keeps the original's size), windows, inputs, whole
   * files, epochs until the budget ends, file split and link fitting.
   */
  public static FlagDefaults defaults(CellType cell) {
    return new FlagDefaults(
        cell == CellType.RELU_RNN ? HIDDEN_SIZE : FlagDefaults.HIDDEN_SIZE,
        WINDOW,
        BURN_IN,
        INPUTS,
        WHOLE_FILES,
        UNTIL_THE_BUDGET_ENDS,
        TRAIN_FILES,
        VAL_FILES,
        TEST_FILES,
        FIT_LINKS);
  }

  static int minPretrainEpochs(double budgetMinutes) {
    return Math.max(1, (int) Math.round(budgetMinutes * MIN_PRETRAIN_EPOCHS_PER_MINUTE));
  }

  /**
   * The pretraining run of {@code fineTune}: its model and windows on streams of the synthetic link
   * {@code preset} (matched to the traces), a packet queue when the traces' link was fitted as one,
   * else a byte queue.
   */
  static TrainOptions pretrain(TrainOptions fineTune, Path preset, boolean packets) {
    TrainOptions.Link link = fineTune.link();
    LinkKind kind = packets
        ? LinkKind.PACKETQUEUE
        : link.kind() == LinkKind.MAHIMAHI ? LinkKind.MAHIMAHI : LinkKind.BYTEQUEUE;
    if (kind == LinkKind.PACKETQUEUE && link.mahimahi() != null)
      throw new InputException(
          "choose one link: --codel, --packetqueue or --mahimahi (none: bytequeue)");
    TrainOptions.Sizes sizes = fineTune.sizes();
    return fineTune
        .withData(
            new TrainOptions.Link(
                List.of(preset.toString()),
                link.traffic().isEmpty() ? PRETRAIN_TRAFFIC : link.traffic(),
                kind,
                false,
                link.mahimahi()),
            List.of())
        .withSizes(sizes
            .withSeqLen(Math.max(PRETRAIN_STREAM_PACKETS, sizes.window() + sizes.burnIn()))
            .withKiloSamples(PRETRAIN_KILO_STREAMS, PRETRAIN_KILO_VAL, PRETRAIN_KILO_VAL));
  }

  /**
   * The fine-tuning run proper: {@code fineTune} from the pretrained model at a fraction of its
   * learning rate. Neither changes the data: the files read for the matched preset are its data.
   */
  static TrainOptions fromPretrained(TrainOptions fineTune, Path pretrained) {
    TrainOptions.Schedule schedule = fineTune.schedule();
    return fineTune.withSchedule(schedule.startingFrom(
        pretrained.toString(), schedule.learningRate() * FINE_TUNE_LEARNING_RATE_FACTOR));
  }
}
