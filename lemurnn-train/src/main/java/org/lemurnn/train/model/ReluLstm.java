package org.lemurnn.train.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's ReLU-LSTM (DESIGN.md section 6), stacked: gates = W_x x + b_x + W_h h + b_h split as
 * i, f, o, g; c = sigm(f) c + sigm(i) relu(g); h = sigm(o) relu(c). libtorch has no fused kernel
 * for it, so the steps run as tensor ops; the input projection of a whole layer is one matmul.
 *
 * <p>Input: {@code x [B,T,in]} and optionally {@code h0, c0 [L,B,H]}; output: {@code y [B,T,H], h
 * [L,B,H], c [L,B,H]}. Parameters are named as the PyTorch state_dict ({@code weight_ih_l0}, ...).
 */
final class ReluLstm extends AbstractBlock {
  private final int layers;
  private final int hidden;
  private final List<Parameter[]> weights = new ArrayList<>(); // per layer: w_ih, w_hh, b_ih, b_hh

  ReluLstm(int layers, int hidden) {
    this.layers = layers;
    this.hidden = hidden;
    for (int l = 0; l < layers; l++) {
      weights.add(new Parameter[] {
        addParameter(param("weight_ih_l" + l, Parameter.Type.WEIGHT)),
        addParameter(param("weight_hh_l" + l, Parameter.Type.WEIGHT)),
        addParameter(param("bias_ih_l" + l, Parameter.Type.BIAS)),
        addParameter(param("bias_hh_l" + l, Parameter.Type.BIAS))
      });
    }
  }

  private static Parameter param(String name, Parameter.Type type) {
    return Parameter.builder().setName(name).setType(type).build();
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    long in = inputShapes[0].get(2);
    for (int l = 0; l < layers; l++) {
      Parameter[] p = weights.get(l);
      p[0].setShape(new Shape(4L * hidden, l == 0 ? in : hidden));
      p[1].setShape(new Shape(4L * hidden, hidden));
      p[2].setShape(new Shape(4L * hidden));
      p[3].setShape(new Shape(4L * hidden));
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    Shape state = new Shape(layers, x.get(0), hidden);
    return new Shape[] {new Shape(x.get(0), x.get(1), hidden), state, state};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDManager manager = x.getManager();
    Device device = x.getDevice();
    long batch = x.getShape().get(0);
    int steps = (int) x.getShape().get(1);
    NDArray h0 = inputs.size() > 1 ? inputs.get(1) : manager.zeros(new Shape(layers, batch, hidden));
    NDArray c0 = inputs.size() > 2 ? inputs.get(2) : manager.zeros(new Shape(layers, batch, hidden));
    NDArray layerInput = x;
    NDList lastH = new NDList(layers);
    NDList lastC = new NDList(layers);
    for (int l = 0; l < layers; l++) {
      Parameter[] p = weights.get(l);
      NDArray wIh = store.getValue(p[0], device, training);
      NDArray wHhT = store.getValue(p[1], device, training).transpose();
      NDArray bias = store.getValue(p[2], device, training).add(store.getValue(p[3], device, training));
      NDArray projected = layerInput.matMul(wIh.transpose()).add(bias); // [B,T,4H]
      NDArray h = h0.get(l);
      NDArray c = c0.get(l);
      NDList outputs = new NDList(steps);
      for (int t = 0; t < steps; t++) {
        NDArray gates = projected.get(new NDIndex(":, {}, :", t)).add(h.matMul(wHhT));
        NDList g = gates.split(4, 1); // i, f, o, g
        c = Activation.sigmoid(g.get(1)).mul(c).add(Activation.sigmoid(g.get(0)).mul(Activation.relu(g.get(3))));
        h = Activation.sigmoid(g.get(2)).mul(Activation.relu(c));
        outputs.add(h);
      }
      layerInput = NDArrays.stack(outputs, 1);
      lastH.add(h);
      lastC.add(c);
    }
    return new NDList(layerInput, NDArrays.stack(lastH, 0), NDArrays.stack(lastC, 0));
  }
}
