package org.lemurnn.train.bptt;

/**
 * The layers of one worker, run over its slice of a batch: sequences {@code [from, to)}. Converts
 * between the batch-major arrays of the caller ({@code [B,T,...]}) and the time-major rows the
 * layers use, and owns every workspace, so that slices run in parallel without sharing memory.
 */
final class Slice {
  private final Layer[] layers;
  private final LayerParams[] grads;
  private final float[][] outputs;
  private final float[][] gradOutputs;
  private float[] input;
  private int steps;

  Slice(Layer[] layers, LayerParams[] shapes) {
    this.layers = layers;
    this.grads = new LayerParams[layers.length];
    for (int l = 0; l < layers.length; l++) grads[l] = shapes[l].zerosLike();
    this.outputs = new float[layers.length][];
    this.gradOutputs = new float[layers.length][];
  }

  LayerParams[] grads() {
    return grads;
  }

  /**
   * Runs sequences {@code [from, to)} of {@code x [B,steps,features]}; writes their rows of
   * {@code y [B,steps,hidden]}.
   */
  void forward(
      LayerWeights[] weights, float[] x, int from, int to, int steps, int features, float[] y) {
    this.steps = steps;
    int batch = to - from, rows = batch * steps;
    input = Layer.atLeast(input, rows * features);
    toTimeMajor(x, from, to, steps, features, input);
    float[] layerInput = input;
    for (int l = 0; l < layers.length; l++) {
      int hidden = weights[l].params.hidden;
      outputs[l] = Layer.atLeast(outputs[l], rows * hidden);
      layers[l].forward(weights[l], layerInput, outputs[l], steps, batch);
      layerInput = outputs[l];
    }
    int hidden = weights[layers.length - 1].params.hidden;
    toBatchMajor(layerInput, from, to, steps, hidden, y);
  }

  /**
   * Back-propagates this slice's rows of {@code gradY [B,steps,hidden]}; the gradients land in
   * {@link #grads}.
   */
  void backward(LayerWeights[] weights, float[] gradY, int from, int to) {
    int batch = to - from, rows = batch * steps, top = layers.length - 1;
    for (LayerParams g : grads) g.clear();
    int hidden = weights[top].params.hidden;
    gradOutputs[top] = Layer.atLeast(gradOutputs[top], rows * hidden);
    toTimeMajor(gradY, from, to, steps, hidden, gradOutputs[top]);
    for (int l = top; l >= 0; l--) {
      float[] gradInput = null;
      if (l > 0) {
        int below = weights[l - 1].params.hidden;
        gradInput = gradOutputs[l - 1] = Layer.atLeast(gradOutputs[l - 1], rows * below);
        java.util.Arrays.fill(gradInput, 0, rows * below, 0f);
      }
      float[] layerInput = l == 0 ? input : outputs[l - 1];
      layers[l].backward(
          weights[l], layerInput, outputs[l], gradOutputs[l], gradInput, grads[l], steps, batch);
    }
  }

  private static void toTimeMajor(
      float[] batchMajor, int from, int to, int steps, int width, float[] rows) {
    int batch = to - from;
    for (int s = from; s < to; s++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(
            batchMajor, (s * steps + t) * width, rows, (t * batch + s - from) * width, width);
      }
    }
  }

  private static void toBatchMajor(
      float[] rows, int from, int to, int steps, int width, float[] batchMajor) {
    int batch = to - from;
    for (int s = from; s < to; s++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(
            rows, (t * batch + s - from) * width, batchMajor, (s * steps + t) * width, width);
      }
    }
  }
}
