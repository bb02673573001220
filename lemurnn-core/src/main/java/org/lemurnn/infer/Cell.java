package org.lemurnn.infer;

/**
 * One recurrent layer with its state, stepped one packet at a time without allocating: a cell, as
 * PyTorch's {@code nn.RNNCell} steps once where {@code nn.RNN} runs a sequence (training's
 * {@code org.lemurnn.train.bptt} layers run whole batches of sequences). Cells of a predictor are
 * stacked: each reads the previous one's {@link #h()}.
 */
sealed interface Cell permits ElmanCell, LstmCell, GruCell {
  /** Advances the state by one input vector of {@code inputSize} values. */
  void step(float[] x);

  /** The hidden state after the last step (the layer's output): a live view, not a copy. */
  float[] h();

  /** The LSTM cell state, or null for layers without one. */
  default float[] c() {
    return null;
  }

  void reset();

  /**
   * Lays PyTorch's {@code weight_ih [rows, in]} and {@code weight_hh [rows, hidden]} out as one
   * matrix over the concatenated input {@code [x, h]}, the way {@link Kernel#multiplyAdd} reads it.
   */
  static float[] packed(float[] weightIh, float[] weightHh, int rows, int in, int hidden) {
    int cols = in + hidden;
    float[] w = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < in; k++) w[Kernel.index(r, k, rows, cols)] = weightIh[r * in + k];
      for (int k = 0; k < hidden; k++)
        w[Kernel.index(r, in + k, rows, cols)] = weightHh[r * hidden + k];
    }
    return w;
  }
}
