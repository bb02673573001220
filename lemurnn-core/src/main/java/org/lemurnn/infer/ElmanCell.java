package org.lemurnn.infer;

import java.util.Arrays;

/** Elman RNN cell as PyTorch's {@code nn.RNN}: h = act(W_ih x + b_ih + W_hh h + b_hh). */
final class ElmanCell implements Cell {
  private final Kernel kernel;
  private final boolean relu;
  private final int in, hidden;
  private final float[] w, bias;
  private final float[] z, h;

  ElmanCell(
      Kernel kernel,
      boolean relu,
      int in,
      int hidden,
      float[] weightIh,
      float[] weightHh,
      float[] biasIh,
      float[] biasHh) {
    this.kernel = kernel;
    this.relu = relu;
    this.in = in;
    this.hidden = hidden;
    this.w = Cell.packed(weightIh, weightHh, hidden, in, hidden);
    this.bias = new float[hidden];
    for (int r = 0; r < hidden; r++) bias[r] = biasIh[r] + biasHh[r];
    this.z = new float[in + hidden];
    this.h = new float[hidden];
  }

  @Override
  public void step(float[] x) {
    System.arraycopy(x, 0, z, 0, in);
    System.arraycopy(h, 0, z, in, hidden);
    System.arraycopy(bias, 0, h, 0, hidden);
    kernel.multiplyAdd(w, hidden, in + hidden, z, h);
    if (relu) Kernel.relu(h, 0, hidden);
    else kernel.tanh(h, 0, hidden);
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
