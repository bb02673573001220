package org.lemurnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lemurnn.JvmOptions;
import org.lemurnn.train.bptt.Gemm;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The matrix products of the Java BPTT engine ({@link Gemm}) on the shapes training calls, against
 * the plain loops Gemm started from. The primary score is products per second, the {@code gflops}
 * counter the speed in GFLOP/s (2 m n k floating-point operations per product).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      JvmOptions.NATIVE_ACCESS,
      JvmOptions.VECTOR_API,
      JvmOptions.DJL_OFFLINE,
      JvmOptions.HEADLESS
    })
public class GemmBenchmark {
  /**
   * kind:m x n x k. A 3x64 LSTM (batch 32, 128 steps, 256 gates, inputs 4 or 64): input projection
   * of all steps, the recurrent step forward and backward, weight gradients, input gradient; then a
   * 1x8 RNN.
   */
  @Param({
    "nn:4096x256x64",
    "nn:4096x256x4",
    "nn:32x256x64",
    "nn:32x64x256",
    "tn:256x64x4096",
    "tn:256x4x4096",
    "nn:4096x64x256",
    "nn:4096x8x4",
    "nn:32x8x8",
    "tn:8x8x4096"
  })
  public String shape;

  private boolean transposed;
  private int m, n, k;
  private double gflopsPerProduct;
  private float[] a, b, c;

  /** Billions of floating-point operations done, reported by JMH as a rate per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    public double gflops;

    @Setup(Level.Iteration)
    public void reset() {
      gflops = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split("[:x]");
    transposed = parts[0].equals("tn");
    m = Integer.parseInt(parts[1]);
    n = Integer.parseInt(parts[2]);
    k = Integer.parseInt(parts[3]);
    gflopsPerProduct = 2e-9 * m * n * k;
    SplittableRandom random = new SplittableRandom(1);
    a = random(random, m * k);
    b = random(random, k * n);
    // c keeps accumulating over the run; small inputs keep it far from overflow
    c = new float[m * n];
  }

  @Benchmark
  public float[] vector(Flops flops) {
    if (transposed) Gemm.tn(m, n, k, a, 0, m, b, 0, n, c, 0, n);
    else Gemm.nn(m, n, k, a, 0, k, b, 0, n, c, 0, n);
    flops.gflops += gflopsPerProduct;
    return c;
  }

  @Benchmark
  public float[] plain(Flops flops) {
    if (transposed) plainTn(m, n, k, a, m, b, n, c, n);
    else plainNn(m, n, k, a, k, b, n, c, n);
    flops.gflops += gflopsPerProduct;
    return c;
  }

  /** The baseline: Gemm.nn as first committed (da16f27), plain loops. */
  private static void plainNn(
      int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float aip = a[i * lda + p];
        int bRow = p * ldb, cRow = i * ldc;
        for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  }

  /** The baseline: Gemm.tn as first committed (da16f27), plain loops. */
  private static void plainTn(
      int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
    for (int p = 0; p < k; p++) {
      int aRow = p * lda, bRow = p * ldb;
      for (int i = 0; i < m; i++) {
        float api = a[aRow + i];
        int cRow = i * ldc;
        for (int j = 0; j < n; j++) c[cRow + j] += api * b[bRow + j];
      }
    }
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) x[i] = (float) random.nextDouble(-1e-3, 1e-3);
    return x;
  }
}
