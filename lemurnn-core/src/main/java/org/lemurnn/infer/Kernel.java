package org.lemurnn.infer;

/**
 * The arithmetic of the cells: a matrix-vector product and the squashing functions over float
 * arrays. Two implementations that agree within 1e-6: {@link #SCALAR} (plain Java) and, when the
 * JVM has {@code jdk.incubator.vector}, a SIMD one. Both accumulate every output row with fused
 * multiply-adds in the same column order, so their products are bit-identical.
 */
public sealed interface Kernel permits ScalarKernel, VectorKernel {
  Kernel SCALAR = new ScalarKernel();

  /**
   * Rows of a weight matrix per storage block: blocks of 64 rows are stored one after the other,
   * each column after column, so that a SIMD lane per output row needs no horizontal sums and a
   * block streams from memory in one sequential run.
   */
  int BLOCK_ROWS = 64;

  /**
   * {@code y[r] += sum_k W[r][k] * z[k]} for r in [0, rows), k in [0, cols), W laid out by
   * {@link #index}.
   */
  void multiplyAdd(float[] w, int rows, int cols, float[] z, float[] y);

  /** Where {@link #multiplyAdd} finds {@code W[r][k]}. */
  static int index(int r, int k, int rows, int cols) {
    int from = r / BLOCK_ROWS * BLOCK_ROWS;
    return from * cols + k * Math.min(BLOCK_ROWS, rows - from) + (r - from);
  }

  /** {@code a[i] = 1 / (1 + exp(-a[i]))} for i in [from, to). */
  void sigmoid(float[] a, int from, int to);

  /** {@code a[i] = tanh(a[i])} for i in [from, to). */
  void tanh(float[] a, int from, int to);

  /**
   * The fastest kernel this JVM can run: the SIMD one when {@code jdk.incubator.vector} is present.
   */
  static Kernel best() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? VectorKernel.INSTANCE
        : SCALAR;
  }

  /** Below this hidden size a model's cells use {@link #SCALAR}; see {@link #forHidden}. */
  int SIMD_FROM_HIDDEN = 16;

  /**
   * The kernel for a model of {@code hidden} units: SIMD from {@link #SIMD_FROM_HIDDEN} on, scalar
   * below. The Vector API allocates a box per vector wherever C2 fails to intrinsify a call site,
   * which depends on the JIT's history; small models gain little from SIMD, so they take the kernel
   * that never allocates (measurements: docs/forwarder-tuning.md, Small models on the scalar
   * kernel).
   */
  static Kernel forHidden(int hidden) {
    return hidden < SIMD_FROM_HIDDEN ? SCALAR : best();
  }

  static void relu(float[] a, int from, int to) {
    for (int i = from; i < to; i++) a[i] = Math.max(a[i], 0f);
  }
}
