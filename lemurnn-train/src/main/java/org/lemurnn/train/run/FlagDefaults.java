package org.lemurnn.train.run;

import org.lemurnn.data.LinkFitting;

/**
 * The values of {@code train}'s options that the {@link BudgetRecipe} chooses, for the options a
 * user leaves out: the original's defaults ({@link #ORIGINAL}), or with {@code --budget_minutes}
 * the recipe's ({@link BudgetRecipe#defaults}). One value, so that a budget changes what is left
 * out in one place, and a flag given wins either way.
 *
 * @param hiddenSize hidden units per layer
 * @param window scored packets per window (0: the original's prefixes)
 * @param burnIn packets before a window that only bring the state up to date
 * @param inputs input features (null: the original's)
 * @param seqLen packets per sequence
 * @param numEpochs epochs
 * @param kiloTrainingSamples training sequences x 1024 (on windowed traces, the files' share)
 * @param kiloValSamples validation sequences x 1024
 * @param kiloTestSamples test sequences x 1024
 * @param fitLinks whether measured links are fitted to the traces
 */
public record FlagDefaults(
    int hiddenSize,
    int window,
    int burnIn,
    String inputs,
    int seqLen,
    int numEpochs,
    double kiloTrainingSamples,
    double kiloValSamples,
    double kiloTestSamples,
    LinkFitting fitLinks) {
  /** The original's defaults, as constants for help texts. */
  public static final int HIDDEN_SIZE = 8, SEQ_LEN = 128, EPOCHS = 100;

  /** The original's set sizes, x 1024 sequences. */
  public static final int KILO_TRAINING = 2, KILO_VAL = 1, KILO_TEST = 1;

  /** The original's: prefixes of {@link #SEQ_LEN} packets, inputs bscq, links by name. */
  public static final FlagDefaults ORIGINAL = new FlagDefaults(
      HIDDEN_SIZE,
      0,
      0,
      null,
      SEQ_LEN,
      EPOCHS,
      KILO_TRAINING,
      KILO_VAL,
      KILO_TEST,
      LinkFitting.NEVER);
}
