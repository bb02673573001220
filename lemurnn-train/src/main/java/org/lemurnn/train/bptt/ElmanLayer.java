package org.lemurnn.train.bptt;

import org.lemurnn.infer.Kernel;

/**
 * PyTorch's {@code nn.RNN} layer: {@code h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}, act
 * relu or tanh.
 */
final class ElmanLayer implements Layer {
  private final int hidden;
  private final boolean relu;

  ElmanLayer(int hidden, boolean relu) {
    this.hidden = hidden;
    this.relu = relu;
  }

  @Override
  public void forward(LayerWeights w, float[] input, float[] output, int steps, int batch) {
    int h = hidden, in = w.params.inputs, rows = steps * batch, block = batch * h;
    Layer.fillRows(output, rows, w.biasSum);
    Gemm.nn(rows, h, in, input, 0, in, w.weightIhT, 0, h, output, 0, h);
    for (int t = 0; t < steps; t++) {
      if (t > 0)
        Gemm.nn(batch, h, h, output, (t - 1) * block, h, w.weightHhT, 0, h, output, t * block, h);
      if (relu) Kernel.relu(output, t * block, (t + 1) * block);
      else Squash.tanh(output, t * block, (t + 1) * block);
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
    int h = hidden, in = w.params.inputs, rows = steps * batch, block = batch * h;
    float[] d = gradOutput; // becomes the gradient of the pre-activations
    for (int t = steps - 1; t >= 0; t--) {
      for (int i = t * block; i < (t + 1) * block; i++) {
        float y = output[i];
        d[i] *= relu ? (y > 0 ? 1f : 0f) : 1f - y * y;
      }
      if (t > 0)
        Gemm.nn(batch, h, h, d, t * block, h, w.params.weightHh, 0, h, d, (t - 1) * block, h);
    }
    Gemm.tn(h, h, rows - batch, d, block, h, output, 0, h, grads.weightHh, 0, h);
    Gemm.tn(h, in, rows, d, 0, h, input, 0, in, grads.weightIh, 0, in);
    Layer.addBiasGradients(d, rows, grads);
    if (gradInput != null)
      Gemm.nn(rows, in, h, d, 0, h, w.params.weightIh, 0, in, gradInput, 0, in);
  }
}
