package org.lemurnn.train.bptt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.lemurnn.infer.Kernel;

/**
 * PyTorch's {@code nn.LSTM} layer (gate rows i, f, g, o; tanh) or the original's ReLU-LSTM (rows i,
 * f, o, g; relu for the candidate and for c -> h): {@code c = sigm(f) c + sigm(i) act(g); h =
 * sigm(o) act(c)}.
 */
final class LstmLayer implements Layer {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final FloatVector ZERO = FloatVector.zero(S), ONE = FloatVector.broadcast(S, 1f);

  private final int hidden;
  private final boolean relu;
  private final int gateI, gateF, gateG, gateO;
  private float[] gates; // [rows, 4h]: pre-activations, then activations, then their gradients
  private float[] cell; // [rows, h]
  private float[] cellAct; // act(c), [rows, h]
  private float[] gradCellNext; // [batch, h]

  LstmLayer(int hidden, boolean relu) {
    this.hidden = hidden;
    this.relu = relu;
    this.gateI = 0;
    this.gateF = hidden;
    this.gateG = relu ? 3 * hidden : 2 * hidden;
    this.gateO = relu ? 2 * hidden : 3 * hidden;
  }

  @Override
  public void forward(LayerWeights w, float[] input, float[] output, int steps, int batch) {
    int h = hidden, g4 = 4 * h, in = w.params.inputs, rows = steps * batch, block = batch * h;
    gates = Layer.atLeast(gates, rows * g4);
    cell = Layer.atLeast(cell, rows * h);
    cellAct = Layer.atLeast(cellAct, rows * h);
    Layer.fillRows(gates, rows, w.biasSum);
    Gemm.nn(rows, g4, in, input, 0, in, w.weightIhT, 0, g4, gates, 0, g4);
    for (int t = 0; t < steps; t++) {
      if (t > 0)
        Gemm.nn(
            batch,
            g4,
            h,
            output,
            (t - 1) * block,
            h,
            w.weightHhT,
            0,
            g4,
            gates,
            t * batch * g4,
            g4);
      for (int b = 0; b < batch; b++) {
        int base = (t * batch + b) * g4;
        if (relu) {
          Squash.sigmoid(gates, base, base + 3 * h);
          Kernel.relu(gates, base + gateG, base + gateG + h);
        } else {
          Squash.sigmoid(gates, base, base + 2 * h);
          Squash.tanh(gates, base + gateG, base + gateG + h);
          Squash.sigmoid(gates, base + gateO, base + gateO + h);
        }
        int at = (t * batch + b) * h;
        int previousAt = t > 0 ? at - block : at, previousWidth = t > 0 ? h : 0; // c_{-1} = 0
        for (int j = 0; j < h; j += S.length()) {
          VectorMask<Float> m = S.indexInRange(j, h);
          FloatVector previous =
              FloatVector.fromArray(S, cell, previousAt + j, S.indexInRange(j, previousWidth));
          FloatVector.fromArray(S, gates, base + gateF + j, m)
              .mul(previous)
              .add(FloatVector.fromArray(S, gates, base + gateI + j, m)
                  .mul(FloatVector.fromArray(S, gates, base + gateG + j, m)))
              .intoArray(cell, at + j, m);
        }
      }
      int from = t * block, to = from + block;
      System.arraycopy(cell, from, cellAct, from, block);
      if (relu) Kernel.relu(cellAct, from, to);
      else Squash.tanh(cellAct, from, to);
      for (int b = 0; b < batch; b++) {
        int base = (t * batch + b) * g4, at = (t * batch + b) * h;
        for (int j = 0; j < h; j += S.length()) {
          VectorMask<Float> m = S.indexInRange(j, h);
          FloatVector.fromArray(S, gates, base + gateO + j, m)
              .mul(FloatVector.fromArray(S, cellAct, at + j, m))
              .intoArray(output, at + j, m);
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
    int h = hidden, g4 = 4 * h, in = w.params.inputs, rows = steps * batch, block = batch * h;
    gradCellNext = Layer.atLeast(gradCellNext, block);
    VectorMask<Float> reluMask = S.maskAll(relu);
    java.util.Arrays.fill(gradCellNext, 0, block, 0f);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int base = (t * batch + b) * g4, at = (t * batch + b) * h;
        int previousAt = t > 0 ? at - block : at, previousWidth = t > 0 ? h : 0; // c_{-1} = 0
        for (int j = 0; j < h; j += S.length()) {
          VectorMask<Float> m = S.indexInRange(j, h);
          FloatVector i = FloatVector.fromArray(S, gates, base + gateI + j, m);
          FloatVector f = FloatVector.fromArray(S, gates, base + gateF + j, m);
          FloatVector g = FloatVector.fromArray(S, gates, base + gateG + j, m);
          FloatVector o = FloatVector.fromArray(S, gates, base + gateO + j, m);
          FloatVector c = FloatVector.fromArray(S, cell, at + j, m);
          FloatVector actC = FloatVector.fromArray(S, cellAct, at + j, m);
          FloatVector previous =
              FloatVector.fromArray(S, cell, previousAt + j, S.indexInRange(j, previousWidth));
          FloatVector gradH = FloatVector.fromArray(S, gradOutput, at + j, m);
          // both slopes, then a blend: a vector chosen by a branch would be boxed (C2 cannot merge
          // them)
          FloatVector slopeC = ONE.sub(actC.mul(actC))
              .blend(ZERO.blend(ONE, c.compare(VectorOperators.GT, 0f)), reluMask);
          FloatVector slopeG =
              ONE.sub(g.mul(g)).blend(ZERO.blend(ONE, g.compare(VectorOperators.GT, 0f)), reluMask);
          FloatVector gradC = FloatVector.fromArray(S, gradCellNext, b * h + j, m)
              .add(gradH.mul(o).mul(slopeC));
          gradC.mul(g).mul(i).mul(ONE.sub(i)).intoArray(gates, base + gateI + j, m);
          gradC.mul(previous).mul(f).mul(ONE.sub(f)).intoArray(gates, base + gateF + j, m);
          gradC.mul(i).mul(slopeG).intoArray(gates, base + gateG + j, m);
          gradH.mul(actC).mul(o).mul(ONE.sub(o)).intoArray(gates, base + gateO + j, m);
          gradC.mul(f).intoArray(gradCellNext, b * h + j, m);
        }
      }
      if (t > 0)
        Gemm.nn(
            batch,
            h,
            g4,
            gates,
            t * batch * g4,
            g4,
            w.params.weightHh,
            0,
            h,
            gradOutput,
            (t - 1) * block,
            h);
    }
    Gemm.tn(g4, h, rows - batch, gates, batch * g4, g4, output, 0, h, grads.weightHh, 0, h);
    Gemm.tn(g4, in, rows, gates, 0, g4, input, 0, in, grads.weightIh, 0, in);
    Layer.addBiasGradients(gates, rows, grads);
    if (gradInput != null)
      Gemm.nn(rows, in, g4, gates, 0, g4, w.params.weightIh, 0, in, gradInput, 0, in);
  }
}
