package org.lemurnn.train.bptt;

/**
 * A layer's weights with the transposes the forward pass multiplies by ({@code [in,G]} and
 * {@code [hidden,G]}, so that a row of inputs times them is a row of gates), refreshed after each
 * update.
 */
final class LayerWeights {
  final LayerParams params;
  final float[] weightIhT;
  final float[] weightHhT;
  /** {@code bias_ih + bias_hh}: the two always add up except in the GRU's candidate gate. */
  final float[] biasSum;

  LayerWeights(LayerParams params) {
    this.params = params;
    this.weightIhT = new float[params.weightIh.length];
    this.weightHhT = new float[params.weightHh.length];
    this.biasSum = new float[params.gateRows];
  }

  /** Recomputes the derived arrays from {@link #params}. */
  void refresh() {
    transpose(params.weightIh, params.gateRows, params.inputs, weightIhT);
    transpose(params.weightHh, params.gateRows, params.hidden, weightHhT);
    for (int g = 0; g < params.gateRows; g++) biasSum[g] = params.biasIh[g] + params.biasHh[g];
  }

  private static void transpose(float[] a, int rows, int cols, float[] out) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
    }
  }
}
