package org.lemurnn.train.bptt;

/**
 * PyTorch's {@code nn.GRU} layer (gate rows r, z, n): {@code r = sigm(W_ir x + b_ir + W_hr h +
 * b_hr)}, z likewise, {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}, {@code h' = (1 - z) n +
 * z h}. The candidate keeps the input and hidden sides apart, since r multiplies only the hidden
 * one.
 */
final class GruLayer implements Layer {
  private final int hidden;
  private float[] inputSide; // [rows, 3h]: x W_ih^T + b_ih, then r, z, n, then their gradients
  private float[] hiddenSide; // [rows, 3h]: h W_hh^T + b_hh, then the gradients of that sum

  GruLayer(int hidden) {
    this.hidden = hidden;
  }

  @Override
  public void forward(LayerWeights w, float[] input, float[] output, int steps, int batch) {
    int h = hidden, g3 = 3 * h, in = w.params.inputs, rows = steps * batch, block = batch * h;
    inputSide = Layer.atLeast(inputSide, rows * g3);
    hiddenSide = Layer.atLeast(hiddenSide, rows * g3);
    Layer.fillRows(inputSide, rows, w.params.biasIh);
    Gemm.nn(rows, g3, in, input, 0, in, w.weightIhT, 0, g3, inputSide, 0, g3);
    Layer.fillRows(hiddenSide, rows, w.params.biasHh);
    for (int t = 0; t < steps; t++) {
      if (t > 0)
        Gemm.nn(
            batch,
            g3,
            h,
            output,
            (t - 1) * block,
            h,
            w.weightHhT,
            0,
            g3,
            hiddenSide,
            t * batch * g3,
            g3);
      for (int b = 0; b < batch; b++) {
        int base = (t * batch + b) * g3, at = (t * batch + b) * h;
        for (int k = 0; k < 2 * h; k++) inputSide[base + k] += hiddenSide[base + k];
        Squash.sigmoid(inputSide, base, base + 2 * h);
        for (int j = 0; j < h; j++)
          inputSide[base + 2 * h + j] += inputSide[base + j] * hiddenSide[base + 2 * h + j];
        Squash.tanh(inputSide, base + 2 * h, base + g3);
        for (int j = 0; j < h; j++) {
          float z = inputSide[base + h + j], n = inputSide[base + 2 * h + j];
          float previous = t > 0 ? output[at - block + j] : 0f;
          output[at + j] = (1f - z) * n + z * previous;
        }
      }
    }
  }

  @Override
  public void backward(
      LayerWeights w,
      float[] input,
      float[] output,
      float[] gradOutput,
      float[] gradInput,
      LayerParams grads,
      int steps,
      int batch) {
    int h = hidden, g3 = 3 * h, in = w.params.inputs, rows = steps * batch, block = batch * h;
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int base = (t * batch + b) * g3, at = (t * batch + b) * h;
        for (int j = 0; j < h; j++) {
          float r = inputSide[base + j],
              z = inputSide[base + h + j],
              n = inputSide[base + 2 * h + j];
          float hiddenN = hiddenSide[base + 2 * h + j];
          float previous = t > 0 ? output[at - block + j] : 0f;
          float gradH = gradOutput[at + j];
          float gradN = gradH * (1f - z) * (1f - n * n);
          float gradR = gradN * hiddenN * r * (1f - r);
          float gradZ = gradH * (previous - n) * z * (1f - z);
          inputSide[base + j] = gradR;
          inputSide[base + h + j] = gradZ;
          inputSide[base + 2 * h + j] = gradN;
          hiddenSide[base + j] = gradR;
          hiddenSide[base + h + j] = gradZ;
          hiddenSide[base + 2 * h + j] = gradN * r;
          if (t > 0) gradOutput[at - block + j] += gradH * z;
        }
      }
      if (t > 0)
        Gemm.nn(
            batch,
            h,
            g3,
            hiddenSide,
            t * batch * g3,
            g3,
            w.params.weightHh,
            0,
            h,
            gradOutput,
            (t - 1) * block,
            h);
    }
    Gemm.tn(g3, h, rows - batch, hiddenSide, batch * g3, g3, output, 0, h, grads.weightHh, 0, h);
    Gemm.tn(g3, in, rows, inputSide, 0, g3, input, 0, in, grads.weightIh, 0, in);
    Layer.addColumnSums(inputSide, rows, grads.biasIh);
    Layer.addColumnSums(hiddenSide, rows, grads.biasHh);
    if (gradInput != null)
      Gemm.nn(rows, in, g3, inputSide, 0, g3, w.params.weightIh, 0, in, gradInput, 0, in);
  }
}
