package org.lemurnn.train.bptt;

import java.util.Arrays;

/**
 * One recurrent layer's parameters, or their gradients, in PyTorch's layout: {@code weight_ih
 * [G,in]}, {@code weight_hh [G,hidden]}, {@code bias_ih} and {@code bias_hh [G]}, where {@code G}
 * is the gate count times the hidden size.
 */
final class LayerParams {
  final int inputs;
  final int hidden;
  final int gateRows;
  final float[] weightIh;
  final float[] weightHh;
  final float[] biasIh;
  final float[] biasHh;

  LayerParams(int inputs, int hidden, int gates) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.gateRows = gates * hidden;
    this.weightIh = new float[gateRows * inputs];
    this.weightHh = new float[gateRows * hidden];
    this.biasIh = new float[gateRows];
    this.biasHh = new float[gateRows];
  }

  /** Zeros of this one's shapes: a gradient for these parameters. */
  LayerParams zerosLike() {
    return new LayerParams(inputs, hidden, gateRows / hidden);
  }

  /** The four arrays in PyTorch's state_dict order. */
  float[][] arrays() {
    return new float[][] {weightIh, weightHh, biasIh, biasHh};
  }

  void clear() {
    for (float[] a : arrays()) Arrays.fill(a, 0f);
  }

  /** {@code this += other}, array by array. */
  void add(LayerParams other) {
    float[][] mine = arrays(), theirs = other.arrays();
    for (int k = 0; k < mine.length; k++) {
      for (int i = 0; i < mine[k].length; i++) mine[k][i] += theirs[k][i];
    }
  }
}
