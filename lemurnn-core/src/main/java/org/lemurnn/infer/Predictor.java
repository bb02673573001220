package org.lemurnn.infer;

import org.lemurnn.model.ModelSpec;

/**
 * A link model run one packet at a time, carrying its recurrent state between calls. Not thread
 * safe: one per direction of a link. {@link #step} never allocates.
 */
public interface Predictor {
  /** Output slots written by {@link #step}. */
  int BACKLOG = 0, DROP_LOGIT_0 = 1, DROP_LOGIT_1 = 2, OUTPUTS = ModelSpec.OUTPUTS;

  ModelSpec spec();

  /**
   * Runs one packet: reads {@code spec().inputSize()} features from {@code features}, writes
   * backlog and the two drop logits (class 1 = drop) to {@code out[0..3)}, advances the state.
   */
  void step(float[] features, float[] out);

  /** Back to the zero state of a new sequence. */
  void reset();

  /**
   * Whether outputs {@code out} say drop: the drop logit above the keep logit (argmax, ties keep).
   */
  static boolean dropped(float[] out) {
    return out[DROP_LOGIT_1] > out[DROP_LOGIT_0];
  }
}
