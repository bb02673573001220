package org.lemurnn.train.bptt;

/**
 * Matrix products for training the recurrent core in Java. Row-major {@code float[]} matrices with
 * an offset and a leading dimension (the row stride), and every product accumulates into {@code c}
 * ({@code c += ...}), so a bias can be written into {@code c} first.
 *
 * <p>Hand-written because no maintained Java BLAS runs on the JDK Vector API, and the shapes here
 * (a few hundred columns, thousands of rows) are too small for a native call per product to pay.
 */
public final class Gemm {
  private Gemm() {}

  /** {@code c[m x n] += a[m x k] . b[k x n]}. */
  public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float aip = a[aOff + i * lda + p];
        int bRow = bOff + p * ldb, cRow = cOff + i * ldc;
        for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  }

  /** {@code c[m x n] += a^T . b} where {@code a} is stored {@code k x m} and {@code b} is {@code k x n}. */
  public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc) {
    for (int p = 0; p < k; p++) {
      int aRow = aOff + p * lda, bRow = bOff + p * ldb;
      for (int i = 0; i < m; i++) {
        float api = a[aRow + i];
        int cRow = cOff + i * ldc;
        for (int j = 0; j < n; j++) c[cRow + j] += api * b[bRow + j];
      }
    }
  }
}
