package org.lemurnn.infer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel (JDK Vector API). Rows are processed in blocks of the widest vector, then of 256
 * bits (so a hidden size of 8 still runs in SIMD on AVX-512), then one by one. Only loaded when the
 * module is present: {@link Kernel#best} checks before touching this class.
 */
final class VectorKernel implements Kernel {
  static final VectorKernel INSTANCE = new VectorKernel();

  private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> NARROW =
      FloatVector.SPECIES_256.length() < WIDE.length()
          ? FloatVector.SPECIES_256
          : FloatVector.SPECIES_128;

  private VectorKernel() {}

  @Override
  public void multiplyAdd(float[] w, int rows, int cols, float[] z, float[] y) {
    for (int from = 0; from < rows; from += BLOCK_ROWS) {
      block(w, from * cols, Math.min(BLOCK_ROWS, rows - from), cols, z, y, from);
    }
  }

  /**
   * One block of {@code n} rows, stored column after column from {@code at}, into {@code y[from
   * ..]}.
   */
  private static void block(float[] w, int at, int n, int cols, float[] z, float[] y, int from) {
    int wide = WIDE.length();
    int r = 0;
    // four independent accumulators hide the latency of the fused multiply-add chain
    for (; r + 4 * wide <= n; r += 4 * wide) {
      FloatVector a0 = FloatVector.fromArray(WIDE, y, from + r);
      FloatVector a1 = FloatVector.fromArray(WIDE, y, from + r + wide);
      FloatVector a2 = FloatVector.fromArray(WIDE, y, from + r + 2 * wide);
      FloatVector a3 = FloatVector.fromArray(WIDE, y, from + r + 3 * wide);
      for (int k = 0, base = at + r; k < cols; k++, base += n) {
        FloatVector x = FloatVector.broadcast(WIDE, z[k]);
        a0 = FloatVector.fromArray(WIDE, w, base).fma(x, a0);
        a1 = FloatVector.fromArray(WIDE, w, base + wide).fma(x, a1);
        a2 = FloatVector.fromArray(WIDE, w, base + 2 * wide).fma(x, a2);
        a3 = FloatVector.fromArray(WIDE, w, base + 3 * wide).fma(x, a3);
      }
      a0.intoArray(y, from + r);
      a1.intoArray(y, from + r + wide);
      a2.intoArray(y, from + r + 2 * wide);
      a3.intoArray(y, from + r + 3 * wide);
    }
    for (; r + wide <= n; r += wide) {
      FloatVector a = FloatVector.fromArray(WIDE, y, from + r);
      for (int k = 0, base = at + r; k < cols; k++, base += n) {
        a = FloatVector.fromArray(WIDE, w, base).fma(FloatVector.broadcast(WIDE, z[k]), a);
      }
      a.intoArray(y, from + r);
    }
    int narrow = NARROW.length();
    for (; r + narrow <= n; r += narrow) {
      FloatVector a = FloatVector.fromArray(NARROW, y, from + r);
      for (int k = 0, base = at + r; k < cols; k++, base += n) {
        a = FloatVector.fromArray(NARROW, w, base).fma(FloatVector.broadcast(NARROW, z[k]), a);
      }
      a.intoArray(y, from + r);
    }
    for (; r < n; r++) {
      float acc = y[from + r];
      for (int k = 0, base = at + r; k < cols; k++, base += n) acc = Math.fma(w[base], z[k], acc);
      y[from + r] = acc;
    }
  }

  @Override
  public void sigmoid(float[] a, int from, int to) {
    int i = from;
    for (; i + WIDE.length() <= to; i += WIDE.length()) {
      FloatVector v = FloatVector.fromArray(WIDE, a, i);
      FloatVector.broadcast(WIDE, 1f)
          .div(v.neg().lanewise(VectorOperators.EXP).add(1f))
          .intoArray(a, i);
    }
    for (; i + NARROW.length() <= to; i += NARROW.length()) {
      FloatVector v = FloatVector.fromArray(NARROW, a, i);
      FloatVector.broadcast(NARROW, 1f)
          .div(v.neg().lanewise(VectorOperators.EXP).add(1f))
          .intoArray(a, i);
    }
    Kernel.SCALAR.sigmoid(a, i, to);
  }

  @Override
  public void tanh(float[] a, int from, int to) {
    int i = from;
    for (; i + WIDE.length() <= to; i += WIDE.length()) {
      FloatVector.fromArray(WIDE, a, i).lanewise(VectorOperators.TANH).intoArray(a, i);
    }
    for (; i + NARROW.length() <= to; i += NARROW.length()) {
      FloatVector.fromArray(NARROW, a, i).lanewise(VectorOperators.TANH).intoArray(a, i);
    }
    Kernel.SCALAR.tanh(a, i, to);
  }
}
