package org.lemurnn.train.bptt;

import org.lemurnn.model.CellType;

/**
 * One recurrent layer's forward and backward pass over a batch, for one worker. Matrices are
 * time-major rows ({@code row = step * batch + sequence}) so that a step is one contiguous block
 * and the input side of every step is one product over all rows. The initial state is zero, as in
 * training (docs/architecture.md, Models).
 *
 * <p>A layer keeps what its backward pass needs from the last forward pass, so each worker owns its
 * layers.
 */
sealed interface Layer permits ElmanLayer, LstmLayer, GruLayer {
  /**
   * {@code output [steps*batch, hidden]} from {@code input [steps*batch, inputs]}; keeps what
   * {@link #backward} needs.
   */
  void forward(LayerWeights w, float[] input, float[] output, int steps, int batch);

  /**
   * Back-propagates {@code gradOutput} (the loss gradient for every output row, overwritten)
   * through the last forward pass: adds the parameter gradients to {@code grads} and, unless
   * {@code gradInput} is null (the first layer), adds the input gradient to {@code gradInput}.
   */
  void backward(
      LayerWeights w,
      float[] input,
      float[] output,
      float[] gradOutput,
      float[] gradInput,
      LayerParams grads,
      int steps,
      int batch);

  static Layer of(CellType cell, int hidden) {
    return switch (cell) {
      case RELU_RNN -> new ElmanLayer(hidden, true);
      case TANH_RNN -> new ElmanLayer(hidden, false);
      case LSTM -> new LstmLayer(hidden, false);
      case RELU_LSTM -> new LstmLayer(hidden, true);
      case GRU -> new GruLayer(hidden);
    };
  }

  /**
   * {@code a} if it holds {@code n} values, else a new array: workspaces grow to the longest batch
   * seen.
   */
  static float[] atLeast(float[] a, int n) {
    return a != null && a.length >= n ? a : new float[n];
  }

  /** Every row of {@code rows x bias.length} at {@code out} set to {@code bias}. */
  static void fillRows(float[] out, int rows, float[] bias) {
    for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, out, r * bias.length, bias.length);
  }

  /**
   * The bias gradients from the pre-activation gradients {@code a [rows, G]}: both biases of a gate
   * add to the same sum, so both get its column sums.
   */
  static void addBiasGradients(float[] a, int rows, LayerParams grads) {
    float[] sums = new float[grads.gateRows];
    addColumnSums(a, rows, sums);
    for (int j = 0; j < sums.length; j++) {
      grads.biasIh[j] += sums[j];
      grads.biasHh[j] += sums[j];
    }
  }

  /** {@code sums[j] += a[r][j]} over {@code rows} rows of width {@code sums.length}. */
  static void addColumnSums(float[] a, int rows, float[] sums) {
    int n = sums.length;
    for (int r = 0; r < rows; r++) {
      for (int j = 0, base = r * n; j < n; j++) sums[j] += a[base + j];
    }
  }
}
