package org.lemurnn.infer;

import java.util.Arrays;

/**
 * GRU layer as PyTorch's {@code nn.GRU}, gates split r, z, n: r = s(W_ir x + b_ir + W_hr h + b_hr),
 * z likewise, n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h = (1 - z) n + z h. The hidden part of
 * n is gated by r, so input and hidden products stay separate here.
 */
final class GruCell implements Cell {
  private final Kernel kernel;
  private final int in, hidden;
  private final float[] wIh, wHh, biasIh, biasHh;
  private final float[] gi, gh, h;

  GruCell(
      Kernel kernel,
      int in,
      int hidden,
      float[] weightIh,
      float[] weightHh,
      float[] biasIh,
      float[] biasHh) {
    this.kernel = kernel;
    this.in = in;
    this.hidden = hidden;
    int rows = 3 * hidden;
    this.wIh = Cell.packed(weightIh, new float[0], rows, in, 0);
    this.wHh = Cell.packed(new float[0], weightHh, rows, 0, hidden);
    this.biasIh = biasIh.clone();
    this.biasHh = biasHh.clone();
    this.gi = new float[rows];
    this.gh = new float[rows];
    this.h = new float[hidden];
  }

  @Override
  public void step(float[] x) {
    int rows = gi.length;
    System.arraycopy(biasIh, 0, gi, 0, rows);
    System.arraycopy(biasHh, 0, gh, 0, rows);
    kernel.multiplyAdd(wIh, rows, in, x, gi);
    kernel.multiplyAdd(wHh, rows, hidden, h, gh); // reads all of h before the last loop updates it
    for (int j = 0; j < 2 * hidden; j++) gi[j] += gh[j];
    kernel.sigmoid(gi, 0, 2 * hidden);
    int n = 2 * hidden;
    for (int j = 0; j < hidden; j++) gi[n + j] += gi[j] * gh[n + j];
    kernel.tanh(gi, n, n + hidden);
    for (int j = 0; j < hidden; j++) {
      float zj = gi[hidden + j];
      h[j] = (1 - zj) * gi[n + j]
          + zj * h[j]; // h[j] is read before it is written: no copy of the old h needed
    }
  }

  @Override
  public float[] h() {
    return h;
  }

  @Override
  public void reset() {
    Arrays.fill(h, 0f);
  }
}
