package org.lemurnn.train.bptt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products for training the recurrent core in Java. Row-major {@code float[]} matrices with
 * an offset and a leading dimension (the row stride), and every product accumulates into {@code c}
 * ({@code c += ...}), so a bias can be written into {@code c} first.
 *
 * <p>Hand-written because no maintained Java BLAS runs on the JDK Vector API, and the shapes here
 * (a few hundred columns, thousands of rows) are too small for a native call per product to pay.
 *
 * <p>How: {@code c} is cut into panels of columns; a micro-kernel keeps a block of {@code c} in
 * registers (4 rows x 4 widest vectors, 16 accumulators), and for every step of the inner dimension
 * broadcasts one element of {@code a} per row and loads one row of {@code b}. Columns left over are
 * done 8 rows x one 256-bit vector, then one by one, except in {@code tn}: its {@code a} holds the
 * rows of {@code c} side by side, so the last few columns run in SIMD across rows (the weight
 * gradient of a layer with 4 inputs is such a product). The inner dimension is cut into chunks of
 * {@link #DEPTH} so that the chunk of {@code b} a panel reads stays in the first-level cache. Both
 * products share the kernels: they differ only in how {@code a} is strided. Vectors live only in
 * local variables of methods that take no vector argument, so C2 keeps them in registers (a vector
 * passed to a method that is not inlined is boxed).
 *
 * <p>Over 350 lines: one algorithm, its kernels unrolled by hand for that reason; split across
 * classes they would share the panel and chunk logic through calls C2 may not inline.
 */
public final class Gemm {
  private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> NARROW =
      FloatVector.SPECIES_256.length() < WIDE.length()
          ? FloatVector.SPECIES_256
          : FloatVector.SPECIES_128;
  private static final int W = WIDE.length();
  private static final int NW = NARROW.length();

  /**
   * Steps of the inner dimension per pass over {@code c}: a panel's chunk of {@code b} is then at
   * most 128 x 64 floats (32 KByte), within the first-level data cache, and {@code c} is loaded and
   * stored once per chunk, which costs little against 128 multiply-adds per element.
   */
  static final int DEPTH = 128;

  private Gemm() {}

  /** {@code c[m x n] += a[m x k] . b[k x n]}. */
  public static void nn(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc) {
    product(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc);
  }

  /**
   * {@code c[m x n] += a^T . b} where {@code a} is stored {@code k x m} and {@code b} is {@code k x
   * n}.
   */
  public static void tn(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int lda,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc) {
    product(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc);
  }

  /** {@code c += a . b} with {@code a(i, p)} at {@code aOff + i * aRow + p * aStep}. */
  private static void product(
      int m,
      int n,
      int k,
      float[] a,
      int aOff,
      int aRow,
      int aStep,
      float[] b,
      int bOff,
      int ldb,
      float[] c,
      int cOff,
      int ldc) {
    int vectorColumns = n - n % NW;
    // a stored k x m (tn) holds the rows of c side by side: the last columns then run in SIMD
    // across rows
    boolean acrossRows = aRow == 1 && m >= W;
    for (int p = 0; p < k; p += DEPTH) {
      int depth = Math.min(DEPTH, k - p);
      int aAt = aOff + p * aStep, bAt = bOff + p * ldb;
      int j = 0;
      for (; j + 4 * W <= n; j += 4 * W)
        wide(m, depth, a, aAt, aRow, aStep, b, bAt + j, ldb, c, cOff + j, ldc);
      for (; j < vectorColumns; j += NW)
        narrow(m, depth, a, aAt, aRow, aStep, b, bAt + j, ldb, c, cOff + j, ldc);
      if (!acrossRows) {
        for (; j < n; j++) column(m, depth, a, aAt, aRow, aStep, b, bAt + j, ldb, c, cOff + j, ldc);
      }
    }
    if (acrossRows) {
      int j = vectorColumns;
      for (; j + 4 <= n; j += 4)
        transposedColumns(m, k, a, aOff, aStep, b, bOff + j, ldb, c, cOff + j, ldc);
      for (; j < n; j++) transposedColumn(m, k, a, aOff, aStep, b, bOff + j, ldb, c, cOff + j, ldc);
    }
  }

  /** {@code 4 W} columns of {@code c}, all rows, {@code depth} steps. */
  private static void wide(
      int m,
      int depth,
      float[] a,
      int aAt,
      int aRow,
      int aStep,
      float[] b,
      int bAt,
      int ldb,
      float[] c,
      int cAt,
      int ldc) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int c0 = cAt + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
      FloatVector s00 = FloatVector.fromArray(WIDE, c, c0),
          s01 = FloatVector.fromArray(WIDE, c, c0 + W);
      FloatVector s02 = FloatVector.fromArray(WIDE, c, c0 + 2 * W),
          s03 = FloatVector.fromArray(WIDE, c, c0 + 3 * W);
      FloatVector s10 = FloatVector.fromArray(WIDE, c, c1),
          s11 = FloatVector.fromArray(WIDE, c, c1 + W);
      FloatVector s12 = FloatVector.fromArray(WIDE, c, c1 + 2 * W),
          s13 = FloatVector.fromArray(WIDE, c, c1 + 3 * W);
      FloatVector s20 = FloatVector.fromArray(WIDE, c, c2),
          s21 = FloatVector.fromArray(WIDE, c, c2 + W);
      FloatVector s22 = FloatVector.fromArray(WIDE, c, c2 + 2 * W),
          s23 = FloatVector.fromArray(WIDE, c, c2 + 3 * W);
      FloatVector s30 = FloatVector.fromArray(WIDE, c, c3),
          s31 = FloatVector.fromArray(WIDE, c, c3 + W);
      FloatVector s32 = FloatVector.fromArray(WIDE, c, c3 + 2 * W),
          s33 = FloatVector.fromArray(WIDE, c, c3 + 3 * W);
      int a0 = aAt + i * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
      for (int p = 0, ap = 0, bp = bAt; p < depth; p++, ap += aStep, bp += ldb) {
        FloatVector b0 = FloatVector.fromArray(WIDE, b, bp),
            b1 = FloatVector.fromArray(WIDE, b, bp + W);
        FloatVector b2 = FloatVector.fromArray(WIDE, b, bp + 2 * W),
            b3 = FloatVector.fromArray(WIDE, b, bp + 3 * W);
        FloatVector x = FloatVector.broadcast(WIDE, a[a0 + ap]);
        s00 = b0.fma(x, s00);
        s01 = b1.fma(x, s01);
        s02 = b2.fma(x, s02);
        s03 = b3.fma(x, s03);
        x = FloatVector.broadcast(WIDE, a[a1 + ap]);
        s10 = b0.fma(x, s10);
        s11 = b1.fma(x, s11);
        s12 = b2.fma(x, s12);
        s13 = b3.fma(x, s13);
        x = FloatVector.broadcast(WIDE, a[a2 + ap]);
        s20 = b0.fma(x, s20);
        s21 = b1.fma(x, s21);
        s22 = b2.fma(x, s22);
        s23 = b3.fma(x, s23);
        x = FloatVector.broadcast(WIDE, a[a3 + ap]);
        s30 = b0.fma(x, s30);
        s31 = b1.fma(x, s31);
        s32 = b2.fma(x, s32);
        s33 = b3.fma(x, s33);
      }
      s00.intoArray(c, c0);
      s01.intoArray(c, c0 + W);
      s02.intoArray(c, c0 + 2 * W);
      s03.intoArray(c, c0 + 3 * W);
      s10.intoArray(c, c1);
      s11.intoArray(c, c1 + W);
      s12.intoArray(c, c1 + 2 * W);
      s13.intoArray(c, c1 + 3 * W);
      s20.intoArray(c, c2);
      s21.intoArray(c, c2 + W);
      s22.intoArray(c, c2 + 2 * W);
      s23.intoArray(c, c2 + 3 * W);
      s30.intoArray(c, c3);
      s31.intoArray(c, c3 + W);
      s32.intoArray(c, c3 + 2 * W);
      s33.intoArray(c, c3 + 3 * W);
    }
    for (; i < m; i++) {
      int c0 = cAt + i * ldc;
      FloatVector s0 = FloatVector.fromArray(WIDE, c, c0),
          s1 = FloatVector.fromArray(WIDE, c, c0 + W);
      FloatVector s2 = FloatVector.fromArray(WIDE, c, c0 + 2 * W),
          s3 = FloatVector.fromArray(WIDE, c, c0 + 3 * W);
      int a0 = aAt + i * aRow;
      for (int p = 0, ap = 0, bp = bAt; p < depth; p++, ap += aStep, bp += ldb) {
        FloatVector x = FloatVector.broadcast(WIDE, a[a0 + ap]);
        s0 = FloatVector.fromArray(WIDE, b, bp).fma(x, s0);
        s1 = FloatVector.fromArray(WIDE, b, bp + W).fma(x, s1);
        s2 = FloatVector.fromArray(WIDE, b, bp + 2 * W).fma(x, s2);
        s3 = FloatVector.fromArray(WIDE, b, bp + 3 * W).fma(x, s3);
      }
      s0.intoArray(c, c0);
      s1.intoArray(c, c0 + W);
      s2.intoArray(c, c0 + 2 * W);
      s3.intoArray(c, c0 + 3 * W);
    }
  }

  /**
   * {@code NW} columns (8 on AVX-512, so a hidden size of 8 still runs in SIMD), 8 rows at a time:
   * eight independent accumulators hide the latency of the multiply-add chain.
   */
  private static void narrow(
      int m,
      int depth,
      float[] a,
      int aAt,
      int aRow,
      int aStep,
      float[] b,
      int bAt,
      int ldb,
      float[] c,
      int cAt,
      int ldc) {
    int i = 0;
    for (; i + 8 <= m; i += 8) {
      int c0 = cAt + i * ldc;
      FloatVector s0 = FloatVector.fromArray(NARROW, c, c0),
          s1 = FloatVector.fromArray(NARROW, c, c0 + ldc);
      FloatVector s2 = FloatVector.fromArray(NARROW, c, c0 + 2 * ldc),
          s3 = FloatVector.fromArray(NARROW, c, c0 + 3 * ldc);
      FloatVector s4 = FloatVector.fromArray(NARROW, c, c0 + 4 * ldc),
          s5 = FloatVector.fromArray(NARROW, c, c0 + 5 * ldc);
      FloatVector s6 = FloatVector.fromArray(NARROW, c, c0 + 6 * ldc),
          s7 = FloatVector.fromArray(NARROW, c, c0 + 7 * ldc);
      int a0 = aAt + i * aRow;
      for (int p = 0, ap = a0, bp = bAt; p < depth; p++, ap += aStep, bp += ldb) {
        FloatVector y = FloatVector.fromArray(NARROW, b, bp);
        s0 = y.fma(FloatVector.broadcast(NARROW, a[ap]), s0);
        s1 = y.fma(FloatVector.broadcast(NARROW, a[ap + aRow]), s1);
        s2 = y.fma(FloatVector.broadcast(NARROW, a[ap + 2 * aRow]), s2);
        s3 = y.fma(FloatVector.broadcast(NARROW, a[ap + 3 * aRow]), s3);
        s4 = y.fma(FloatVector.broadcast(NARROW, a[ap + 4 * aRow]), s4);
        s5 = y.fma(FloatVector.broadcast(NARROW, a[ap + 5 * aRow]), s5);
        s6 = y.fma(FloatVector.broadcast(NARROW, a[ap + 6 * aRow]), s6);
        s7 = y.fma(FloatVector.broadcast(NARROW, a[ap + 7 * aRow]), s7);
      }
      s0.intoArray(c, c0);
      s1.intoArray(c, c0 + ldc);
      s2.intoArray(c, c0 + 2 * ldc);
      s3.intoArray(c, c0 + 3 * ldc);
      s4.intoArray(c, c0 + 4 * ldc);
      s5.intoArray(c, c0 + 5 * ldc);
      s6.intoArray(c, c0 + 6 * ldc);
      s7.intoArray(c, c0 + 7 * ldc);
    }
    for (; i < m; i++) {
      int c0 = cAt + i * ldc;
      FloatVector s = FloatVector.fromArray(NARROW, c, c0);
      for (int p = 0, ap = aAt + i * aRow, bp = bAt; p < depth; p++, ap += aStep, bp += ldb) {
        s = FloatVector.fromArray(NARROW, b, bp).fma(FloatVector.broadcast(NARROW, a[ap]), s);
      }
      s.intoArray(c, c0);
    }
  }

  /**
   * Four columns of {@code c} when {@code a} is stored {@code k x m}, 2 wide vectors of rows at a
   * time, over the whole inner dimension: one pass over {@code a} for four columns, which matters
   * for the weight gradient of a layer with 4 inputs ({@code a} is then megabytes, read from the
   * last-level cache). Rows left over go to {@link #transposedColumn}.
   */
  private static void transposedColumns(
      int m,
      int k,
      float[] a,
      int aAt,
      int lda,
      float[] b,
      int bAt,
      int ldb,
      float[] c,
      int cAt,
      int ldc) {
    int i = 0;
    for (; i + 2 * W <= m; i += 2 * W) {
      FloatVector s00 = FloatVector.zero(WIDE),
          s01 = FloatVector.zero(WIDE),
          s02 = FloatVector.zero(WIDE),
          s03 = FloatVector.zero(WIDE);
      FloatVector s10 = FloatVector.zero(WIDE),
          s11 = FloatVector.zero(WIDE),
          s12 = FloatVector.zero(WIDE),
          s13 = FloatVector.zero(WIDE);
      for (int p = 0, ap = aAt + i, bp = bAt; p < k; p++, ap += lda, bp += ldb) {
        FloatVector x0 = FloatVector.fromArray(WIDE, a, ap),
            x1 = FloatVector.fromArray(WIDE, a, ap + W);
        FloatVector y = FloatVector.broadcast(WIDE, b[bp]);
        s00 = x0.fma(y, s00);
        s10 = x1.fma(y, s10);
        y = FloatVector.broadcast(WIDE, b[bp + 1]);
        s01 = x0.fma(y, s01);
        s11 = x1.fma(y, s11);
        y = FloatVector.broadcast(WIDE, b[bp + 2]);
        s02 = x0.fma(y, s02);
        s12 = x1.fma(y, s12);
        y = FloatVector.broadcast(WIDE, b[bp + 3]);
        s03 = x0.fma(y, s03);
        s13 = x1.fma(y, s13);
      }
      for (int l = 0, at = cAt + i * ldc, at1 = at + W * ldc; l < W; l++, at += ldc, at1 += ldc) {
        c[at] += s00.lane(l);
        c[at + 1] += s01.lane(l);
        c[at + 2] += s02.lane(l);
        c[at + 3] += s03.lane(l);
        c[at1] += s10.lane(l);
        c[at1 + 1] += s11.lane(l);
        c[at1 + 2] += s12.lane(l);
        c[at1 + 3] += s13.lane(l);
      }
    }
    if (i < m) {
      for (int q = 0; q < 4; q++) {
        transposedColumn(m - i, k, a, aAt + i, lda, b, bAt + q, ldb, c, cAt + i * ldc + q, ldc);
      }
    }
  }

  /**
   * One column of {@code c} when {@code a} is stored {@code k x m}: 4 wide vectors of rows at a
   * time, over the whole inner dimension (the sums are added to {@code c} lane by lane, once per
   * block).
   */
  private static void transposedColumn(
      int m,
      int k,
      float[] a,
      int aAt,
      int lda,
      float[] b,
      int bAt,
      int ldb,
      float[] c,
      int cAt,
      int ldc) {
    int i = 0;
    for (; i + 4 * W <= m; i += 4 * W) {
      FloatVector s0 = FloatVector.zero(WIDE),
          s1 = FloatVector.zero(WIDE),
          s2 = FloatVector.zero(WIDE),
          s3 = FloatVector.zero(WIDE);
      for (int p = 0, ap = aAt + i, bp = bAt; p < k; p++, ap += lda, bp += ldb) {
        FloatVector y = FloatVector.broadcast(WIDE, b[bp]);
        s0 = FloatVector.fromArray(WIDE, a, ap).fma(y, s0);
        s1 = FloatVector.fromArray(WIDE, a, ap + W).fma(y, s1);
        s2 = FloatVector.fromArray(WIDE, a, ap + 2 * W).fma(y, s2);
        s3 = FloatVector.fromArray(WIDE, a, ap + 3 * W).fma(y, s3);
      }
      for (int l = 0, at = cAt + i * ldc; l < W; l++, at += ldc) {
        c[at] += s0.lane(l);
        c[at + W * ldc] += s1.lane(l);
        c[at + 2 * W * ldc] += s2.lane(l);
        c[at + 3 * W * ldc] += s3.lane(l);
      }
    }
    for (; i + W <= m; i += W) {
      FloatVector s = FloatVector.zero(WIDE);
      for (int p = 0, ap = aAt + i, bp = bAt; p < k; p++, ap += lda, bp += ldb) {
        s = FloatVector.fromArray(WIDE, a, ap).fma(FloatVector.broadcast(WIDE, b[bp]), s);
      }
      for (int l = 0, at = cAt + i * ldc; l < W; l++, at += ldc) c[at] += s.lane(l);
    }
    for (; i < m; i++) {
      float s = 0;
      for (int p = 0, ap = aAt + i, bp = bAt; p < k; p++, ap += lda, bp += ldb)
        s = Math.fma(a[ap], b[bp], s);
      c[cAt + i * ldc] += s;
    }
  }

  /**
   * One column of {@code c} (fewer columns are left than a narrow vector holds), 4 rows at a time.
   */
  private static void column(
      int m,
      int depth,
      float[] a,
      int aAt,
      int aRow,
      int aStep,
      float[] b,
      int bAt,
      int ldb,
      float[] c,
      int cAt,
      int ldc) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int c0 = cAt + i * ldc;
      float s0 = c[c0], s1 = c[c0 + ldc], s2 = c[c0 + 2 * ldc], s3 = c[c0 + 3 * ldc];
      for (int p = 0, ap = aAt + i * aRow, bp = bAt; p < depth; p++, ap += aStep, bp += ldb) {
        float y = b[bp];
        s0 = Math.fma(a[ap], y, s0);
        s1 = Math.fma(a[ap + aRow], y, s1);
        s2 = Math.fma(a[ap + 2 * aRow], y, s2);
        s3 = Math.fma(a[ap + 3 * aRow], y, s3);
      }
      c[c0] = s0;
      c[c0 + ldc] = s1;
      c[c0 + 2 * ldc] = s2;
      c[c0 + 3 * ldc] = s3;
    }
    for (; i < m; i++) {
      int c0 = cAt + i * ldc;
      float s = c[c0];
      for (int p = 0, ap = aAt + i * aRow, bp = bAt; p < depth; p++, ap += aStep, bp += ldb)
        s = Math.fma(a[ap], b[bp], s);
      c[c0] = s;
    }
  }
}
