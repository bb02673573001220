package org.lemurnn.infer;

import java.util.Arrays;

/**
 * LSTM layer. Standard (PyTorch's {@code nn.LSTM}): gates split i, f, g, o; c = s(f) c + s(i)
 * tanh(g); h = s(o) tanh(c). ReLU-LSTM (the original's {@code droprelulstm}, docs/architecture.md,
 * Models): gates split i, f, o, g; relu instead of tanh for the candidate and for c -> h.
 */
final class LstmCell implements Cell {
  private final Kernel kernel;
  private final boolean relu;
  private final int in, hidden;
  private final int iAt, fAt, gAt, oAt;
  private final float[] w, bias;
  private final float[] z, gates, h, c;

  LstmCell(
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
    iAt = 0;
    fAt = hidden;
    gAt = relu ? 3 * hidden : 2 * hidden;
    oAt = relu ? 2 * hidden : 3 * hidden;
    int rows = 4 * hidden;
    this.w = Cell.packed(weightIh, weightHh, rows, in, hidden);
    this.bias = new float[rows];
    for (int r = 0; r < rows; r++) bias[r] = biasIh[r] + biasHh[r];
    this.z = new float[in + hidden];
    this.gates = new float[rows];
    this.h = new float[hidden];
    this.c = new float[hidden];
  }

  @Override
  public void step(float[] x) {
    System.arraycopy(x, 0, z, 0, in);
    System.arraycopy(h, 0, z, in, hidden);
    System.arraycopy(bias, 0, gates, 0, gates.length);
    kernel.multiplyAdd(w, gates.length, in + hidden, z, gates);
    if (relu) {
      // i, f, o are adjacent here: one sigmoid pass
      kernel.sigmoid(gates, 0, 3 * hidden);
      Kernel.relu(gates, gAt, gAt + hidden);
    } else {
      kernel.sigmoid(gates, 0, 2 * hidden);
      kernel.tanh(gates, gAt, gAt + hidden);
      kernel.sigmoid(gates, oAt, oAt + hidden);
    }
    for (int j = 0; j < hidden; j++) {
      c[j] = gates[fAt + j] * c[j] + gates[iAt + j] * gates[gAt + j];
      h[j] = c[j];
    }
    if (relu) Kernel.relu(h, 0, hidden);
    else kernel.tanh(h, 0, hidden);
    for (int j = 0; j < hidden; j++) h[j] *= gates[oAt + j];
  }

  @Override
  public float[] h() {
    return h;
  }

  @Override
  public float[] c() {
    return c;
  }

  @Override
  public void reset() {
    Arrays.fill(h, 0f);
    Arrays.fill(c, 0f);
  }
}
