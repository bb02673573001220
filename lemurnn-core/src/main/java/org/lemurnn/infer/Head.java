package org.lemurnn.infer;

/**
 * The Linear head of a link model, {@code out = weight h + bias}: one definition for the per-packet
 * cells and the trainer's batched evaluation, so both give the same numbers (fma, same order).
 */
public final class Head {
  private Head() {}

  /**
   * Writes {@code bias.length} outputs to {@code out[outOffset..]} from the hidden state
   * {@code h[hOffset .. hOffset + hidden)}; {@code weight} is {@code [bias.length, hidden]}
   * row-major.
   */
  public static void apply(
      float[] weight,
      float[] bias,
      float[] h,
      int hOffset,
      int hidden,
      float[] out,
      int outOffset) {
    for (int k = 0; k < bias.length; k++) {
      float acc = bias[k];
      for (int j = 0; j < hidden; j++) acc = Math.fma(weight[k * hidden + j], h[hOffset + j], acc);
      out[outOffset + k] = acc;
    }
  }
}
