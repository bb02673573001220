package org.lemurnn.infer;

import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;

/**
 * The cell equations written out directly from PyTorch's documentation and docs/architecture.md,
 * Models, in double precision over row-major weights: an independent check of the fast cells'
 * layout, gate order and fusing.
 */
final class NaiveCells {
  private final ModelFile model;
  private final ModelSpec spec;
  final double[][] h, c;

  NaiveCells(ModelFile model) {
    this.model = model;
    this.spec = model.spec();
    h = new double[spec.layers()][spec.hidden()];
    c = new double[spec.layers()][spec.hidden()];
  }

  double[] step(float[] features) {
    double[] x = new double[features.length];
    for (int i = 0; i < x.length; i++) x[i] = features[i];
    String p = spec.cell().parameterPrefix() + ".";
    int hs = spec.hidden();
    for (int l = 0; l < spec.layers(); l++) {
      double[] gi = affine(p + "weight_ih_l" + l, p + "bias_ih_l" + l, x);
      double[] gh = affine(p + "weight_hh_l" + l, p + "bias_hh_l" + l, h[l]);
      double[] hNew = new double[hs];
      for (int j = 0; j < hs; j++) {
        switch (spec.cell()) {
          case RELU_RNN -> hNew[j] = Math.max(0, gi[j] + gh[j]);
          case TANH_RNN -> hNew[j] = Math.tanh(gi[j] + gh[j]);
          case LSTM -> { // i, f, g, o
            double i = sig(gi[j] + gh[j]), f = sig(gi[hs + j] + gh[hs + j]);
            double g = Math.tanh(gi[2 * hs + j] + gh[2 * hs + j]),
                o = sig(gi[3 * hs + j] + gh[3 * hs + j]);
            c[l][j] = f * c[l][j] + i * g;
            hNew[j] = o * Math.tanh(c[l][j]);
          }
          case RELU_LSTM -> { // i, f, o, g
            double i = sig(gi[j] + gh[j]), f = sig(gi[hs + j] + gh[hs + j]);
            double o = sig(gi[2 * hs + j] + gh[2 * hs + j]),
                g = Math.max(0, gi[3 * hs + j] + gh[3 * hs + j]);
            c[l][j] = f * c[l][j] + i * g;
            hNew[j] = o * Math.max(0, c[l][j]);
          }
          case GRU -> { // r, z, n
            double r = sig(gi[j] + gh[j]), z = sig(gi[hs + j] + gh[hs + j]);
            double n = Math.tanh(gi[2 * hs + j] + r * gh[2 * hs + j]);
            hNew[j] = (1 - z) * n + z * h[l][j];
          }
        }
      }
      h[l] = hNew;
      x = hNew;
    }
    return affine("fc.weight", "fc.bias", x);
  }

  private double[] affine(String weight, String bias, double[] x) {
    float[] w = model.tensor(weight).data(), b = model.tensor(bias).data();
    double[] y = new double[b.length];
    for (int r = 0; r < y.length; r++) {
      y[r] = b[r];
      for (int k = 0; k < x.length; k++) y[r] += w[r * x.length + k] * x[k];
    }
    return y;
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
