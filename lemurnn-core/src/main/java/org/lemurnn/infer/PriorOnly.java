package org.lemurnn.infer;

import java.util.Objects;
import org.lemurnn.model.ModelSpec;

/**
 * A model's fitted link without its network: a predictor that predicts an empty queue and never
 * drops, so that {@link LinkPrediction} emulates what the model's prior alone makes of the packets
 * (a varying link: the physical queue at the rate its rate process draws; a constant one: the
 * physical limits of the fitted link). What the network adds is measured against it
 * ({@code evaluate --prior_only}), and a rate process is calibrated with it ({@code FittedLinks}).
 */
public final class PriorOnly implements Predictor {
  /** A keep logit this far above the drop logit is P(drop) = 0 in double arithmetic. */
  private static final float NEVER = -1e4f;

  private final ModelSpec spec;

  public PriorOnly(ModelSpec spec) {
    this.spec = Objects.requireNonNull(spec);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void step(float[] features, float[] out) {
    out[BACKLOG] = 0;
    out[DROP_LOGIT_0] = 0;
    out[DROP_LOGIT_1] = NEVER;
  }

  @Override
  public void reset() {}
}
