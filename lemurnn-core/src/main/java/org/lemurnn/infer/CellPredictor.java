package org.lemurnn.infer;

import org.lemurnn.model.ModelSpec;

/**
 * A link model in pure Java: stacked recurrent layers and the Linear head (output 0 backlog,
 * outputs 1..2 drop logits). Steps without allocating; built by {@link Predictors}.
 */
public final class CellPredictor implements Predictor {
  private final ModelSpec spec;
  private final Layer[] layers;
  private final float[] headWeight, headBias; // [OUTPUTS, hidden] row-major, [OUTPUTS]
  private final float[] row; // one packet's features, for the sequence mode

  CellPredictor(ModelSpec spec, Layer[] layers, float[] headWeight, float[] headBias) {
    this.spec = spec;
    this.layers = layers;
    this.headWeight = headWeight;
    this.headBias = headBias;
    this.row = new float[spec.inputSize()];
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void step(float[] features, float[] out) {
    stepInto(features, out, 0);
  }

  /**
   * Sequence mode: steps through {@code steps} packets whose features lie row after row in {@code
   * features} (inputSize values each) and writes their outputs row after row ({@link #OUTPUTS} each)
   * to {@code out}. Same state and same numbers as calling {@link #step} per packet.
   */
  public void run(float[] features, int steps, float[] out) {
    int in = row.length;
    for (int t = 0; t < steps; t++) {
      System.arraycopy(features, t * in, row, 0, in);
      stepInto(row, out, t * OUTPUTS);
    }
  }

  private void stepInto(float[] features, float[] out, int at) {
    layers[0].step(features);
    for (int l = 1; l < layers.length; l++) layers[l].step(layers[l - 1].h());
    float[] h = layers[layers.length - 1].h();
    int hidden = h.length;
    for (int k = 0; k < OUTPUTS; k++) {
      float acc = headBias[k];
      for (int j = 0; j < hidden; j++) acc = Math.fma(headWeight[k * hidden + j], h[j], acc);
      out[at + k] = acc;
    }
  }

  @Override
  public void reset() {
    for (Layer layer : layers) layer.reset();
  }

  /** A copy of layer {@code layer}'s hidden state h. */
  public float[] hidden(int layer) {
    return layers[layer].h().clone();
  }

  /** A copy of layer {@code layer}'s LSTM cell state c; null for cells without one. */
  public float[] cell(int layer) {
    float[] c = layers[layer].c();
    return c == null ? null : c.clone();
  }
}
