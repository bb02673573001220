package org.lemurnn.infer;

import org.lemurnn.model.ModelSpec;

/**
 * A link model in pure Java: stacked recurrent layers and the Linear head (output 0 backlog,
 * outputs 1..2 drop logits). Steps without allocating; built by {@link Predictors}.
 */
public final class CellPredictor implements Predictor {
  private final ModelSpec spec;
  private final Cell[] layers;
  private final float[] headWeight, headBias; // [OUTPUTS, hidden] row-major, [OUTPUTS]

  CellPredictor(ModelSpec spec, Cell[] layers, float[] headWeight, float[] headBias) {
    this.spec = spec;
    this.layers = layers;
    this.headWeight = headWeight;
    this.headBias = headBias;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void step(float[] features, float[] out) {
    layers[0].step(features);
    for (int l = 1; l < layers.length; l++) layers[l].step(layers[l - 1].h());
    float[] h = layers[layers.length - 1].h();
    Head.apply(headWeight, headBias, h, 0, h.length, out, 0);
  }

  @Override
  public void reset() {
    for (Cell layer : layers) layer.reset();
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
