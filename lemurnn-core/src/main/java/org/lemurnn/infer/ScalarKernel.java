package org.lemurnn.infer;

/** The plain-Java kernel: the reference the SIMD one is checked against, and the fallback. */
final class ScalarKernel implements Kernel {
  @Override
  public void multiplyAdd(float[] w, int rows, int cols, float[] z, float[] y) {
    for (int r = 0; r < rows; r++) {
      float acc = y[r];
      for (int k = 0; k < cols; k++) acc = Math.fma(w[k * rows + r], z[k], acc);
      y[r] = acc;
    }
  }

  @Override
  public void sigmoid(float[] a, int from, int to) {
    for (int i = from; i < to; i++) a[i] = 1f / (1f + (float) Math.exp(-a[i]));
  }

  @Override
  public void tanh(float[] a, int from, int to) {
    for (int i = from; i < to; i++) a[i] = (float) Math.tanh(a[i]);
  }
}
