package org.lemurnn.infer;

/**
 * The arithmetic of the cells: a matrix-vector product and the squashing functions over float
 * arrays. Two implementations that agree within 1e-6: {@link #SCALAR} (plain Java) and, when the JVM
 * has {@code jdk.incubator.vector}, a SIMD one. Both accumulate every output row with fused
 * multiply-adds in the same column order, so their products are bit-identical.
 */
public sealed interface Kernel permits ScalarKernel, VectorKernel {
  Kernel SCALAR = new ScalarKernel();

  /**
   * {@code y[r] += sum_k w[k * rows + r] * z[k]} for r in [0, rows), k in [0, cols): w is stored
   * column after column so that a SIMD lane per output row needs no horizontal sums.
   */
  void multiplyAdd(float[] w, int rows, int cols, float[] z, float[] y);

  /** {@code a[i] = 1 / (1 + exp(-a[i]))} for i in [from, to). */
  void sigmoid(float[] a, int from, int to);

  /** {@code a[i] = tanh(a[i])} for i in [from, to). */
  void tanh(float[] a, int from, int to);

  /** The fastest kernel this JVM can run: the SIMD one when {@code jdk.incubator.vector} is present. */
  static Kernel best() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? VectorKernel.INSTANCE : SCALAR;
  }

  static void relu(float[] a, int from, int to) {
    for (int i = from; i < to; i++) a[i] = Math.max(a[i], 0f);
  }
}
