package org.lemurnn.infer;

/** The plain-Java kernel: the reference the SIMD one is checked against, and the fallback. */
final class ScalarKernel implements Kernel {
  @Override
  public void multiplyAdd(float[] w, int rows, int cols, float[] z, float[] y) {
    for (int from = 0; from < rows; from += BLOCK_ROWS) {
      int n = Math.min(BLOCK_ROWS, rows - from);
      // column by column: contiguous weights, and every row still sums its terms in column order
      for (int k = 0, base = from * cols; k < cols; k++, base += n) {
        float x = z[k];
        for (int r = 0; r < n; r++) y[from + r] = Math.fma(w[base + r], x, y[from + r]);
      }
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
