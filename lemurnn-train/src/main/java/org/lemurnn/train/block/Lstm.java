package org.lemurnn.train.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A stacked LSTM from tensor ops: PyTorch's {@code nn.LSTM} (gates i, f, g, o; tanh) or the
 * original's ReLU-LSTM (docs/architecture.md, Models: gates i, f, o, g; relu for the candidate and
 * for c -> h). Both compute c = sigm(f) c + sigm(i) act(g); h = sigm(o) act(c).
 *
 * <p>Training runs the Java core ({@code org.lemurnn.train.bptt}), not this block (only
 * {@code AutogradStep}, the libtorch baseline and reference, still trains through it);
 * {@code RecurrentCoreTest} holds the core's outputs and weight gradients to this block under
 * autograd. The block holds the weights (what Adam updates, the checkpoints and the exported model)
 * and runs inference without grad mode ({@link DjlPredictor}, the reference of the pure-Java
 * cells).
 *
 * <p>Why not libtorch's LSTM op: on CPU, libtorch 2.7 runs it through oneDNN, which without grad
 * mode gives wrong outputs (0.05 off on a 2x16 model; DJL passes the weights in PyTorch's order,
 * and libtorch's native kernel, with oneDNN switched off, is right). These ops are the same with
 * and without grad mode ({@code LstmTest} holds them to libtorch's op, gradients included). They
 * use time-major rows, so that each layer's input projection is one addmm over all steps and a step
 * is a plain split of it; one addmm per step for the recurrence; and gate rows ordered i, f, o, g,
 * so that one sigmoid covers the three sigmoid gates.
 *
 * <p>Input: {@code x [B,T,in]} and optionally {@code h0, c0 [L,B,H]}; output: {@code y [B,T,H], h
 * [L,B,H], c [L,B,H]}. Parameters are named as the PyTorch state_dict ({@code weight_ih_l0}, ...).
 */
final class Lstm extends AbstractBlock {
  private final int layers;
  private final int hidden;
  private final boolean relu;
  private final List<Parameter[]> weights = new ArrayList<>(); // per layer: w_ih, w_hh, b_ih, b_hh

  /** PyTorch's LSTM ({@code relu} false) or the original's ReLU-LSTM ({@code relu} true). */
  Lstm(int layers, int hidden, boolean relu) {
    this.layers = layers;
    this.hidden = hidden;
    this.relu = relu;
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
    return forward(prepare(store, inputs.get(0).getDevice(), training), inputs);
  }

  /**
   * The weights as the step uses them, per layer {@code w_ih, w_hh, b_ih + b_hh} with the gate rows
   * in the order i, f, o, g. Inference on fixed weights prepares them once
   * ({@link LinkModel.Inference}).
   */
  List<NDArray[]> prepare(ParameterStore store, Device device, boolean training) {
    List<NDArray[]> prepared = new ArrayList<>(layers);
    for (Parameter[] p : weights) {
      prepared.add(new NDArray[] {
        sigmoidGatesFirst(store.getValue(p[0], device, training)),
        sigmoidGatesFirst(store.getValue(p[1], device, training)),
        sigmoidGatesFirst(
            store.getValue(p[2], device, training).add(store.getValue(p[3], device, training)))
      });
    }
    return prepared;
  }

  /** The block's forward on weights from {@link #prepare}. */
  NDList forward(List<NDArray[]> prepared, NDList inputs) {
    NDArray x = inputs.get(0);
    NDManager manager = x.getManager();
    long batch = x.getShape().get(0);
    int steps = (int) x.getShape().get(1);
    NDArray h0 =
        inputs.size() > 1 ? inputs.get(1) : manager.zeros(new Shape(layers, batch, hidden));
    NDArray c0 =
        inputs.size() > 2 ? inputs.get(2) : manager.zeros(new Shape(layers, batch, hidden));
    UnaryOperator<NDArray> act = relu ? Activation::relu : Activation::tanh;
    // Time-major rows [T*B, features]: step t is rows t*B .. t*B+B-1, a plain split.
    NDArray layerInput =
        x.transpose(1, 0, 2).reshape(steps * batch, x.getShape().get(2));
    NDList lastH = new NDList(layers);
    NDList lastC = new NDList(layers);
    for (int l = 0; l < layers; l++) {
      NDArray wIh = prepared.get(l)[0],
          wHh = prepared.get(l)[1],
          bias = prepared.get(l)[2];
      NDList projected = Linear.linear(layerInput, wIh, bias).head().split(steps, 0); // T x [B,4H]
      NDArray h = h0.get(l);
      NDArray c = c0.get(l);
      NDList outputs = new NDList(steps);
      for (int t = 0; t < steps; t++) {
        // linear with a [B,4H] bias is one addmm: projected + h W_hh^T
        NDList gates =
            Linear.linear(h, wHh, projected.get(t)).head().split(new long[] {3L * hidden}, 1);
        NDList ifo = Activation.sigmoid(gates.get(0)).split(3, 1);
        c = ifo.get(1).mul(c).add(ifo.get(0).mul(act.apply(gates.get(1))));
        h = ifo.get(2).mul(act.apply(c));
        outputs.add(h);
      }
      layerInput = NDArrays.concat(outputs, 0);
      lastH.add(h);
      lastC.add(c);
    }
    NDArray y = layerInput.reshape(steps, batch, hidden).transpose(1, 0, 2);
    return new NDList(y, NDArrays.stack(lastH, 0), NDArrays.stack(lastC, 0));
  }

  /** Rows (first axis) of a gate-stacked parameter in the order i, f, o, g. */
  private NDArray sigmoidGatesFirst(NDArray w) {
    if (relu) return w; // the original's ReLU-LSTM stacks them so
    NDList g = w.split(4, 0); // PyTorch: i, f, g, o
    return NDArrays.concat(new NDList(g.get(0), g.get(1), g.get(3), g.get(2)), 0);
  }
}
