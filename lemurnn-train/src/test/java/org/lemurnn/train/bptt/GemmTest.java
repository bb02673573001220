package org.lemurnn.train.bptt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both products against a double-precision reference, on random matrices placed at an offset in
 * arrays with leading dimensions wider than the rows and no slack after the last element (so a
 * kernel reading or writing one float too far fails). Every element of {@code c} outside the
 * product must keep its value, {@code a} and {@code b} must not change.
 *
 * <p>Tolerance: float products summed over k steps err by at most about {@code k * 2^-24} times the
 * sum of the magnitudes of the terms; relative to that sum we allow 1e-5 (k up to 5000 stays within
 * it: rounding errors of random sign grow like the square root of k, not like k).
 */
class GemmTest {
  private static final double TOLERANCE = 1e-5;

  /** Every kernel path: wide panels, narrow panels, single columns, row tails, depth chunks. */
  @Property(tries = 300)
  void nnMatchesTheReference(
      @ForAll @IntRange(min = 0, max = 70) int m,
      @ForAll @IntRange(min = 0, max = 150) int n,
      @ForAll @IntRange(min = 0, max = 300) int k,
      @ForAll @IntRange(min = 0, max = 5) int offset,
      @ForAll @IntRange(min = 0, max = 7) int slack,
      @ForAll long seed) {
    check(false, m, n, k, offset, slack, seed);
  }

  @Property(tries = 300)
  void tnMatchesTheReference(
      @ForAll @IntRange(min = 0, max = 70) int m,
      @ForAll @IntRange(min = 0, max = 150) int n,
      @ForAll @IntRange(min = 0, max = 300) int k,
      @ForAll @IntRange(min = 0, max = 5) int offset,
      @ForAll @IntRange(min = 0, max = 7) int slack,
      @ForAll long seed) {
    check(true, m, n, k, offset, slack, seed);
  }

  /** The shapes training a 3x64 LSTM and a 1x8 RNN calls, and long inner dimensions. */
  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @CsvSource({
    "nn, 4096, 256, 64",
    "nn, 4096, 256, 4",
    "nn, 32, 256, 64",
    "nn, 32, 64, 256",
    "nn, 4096, 64, 256",
    "tn, 256, 64, 4096",
    "tn, 256, 4, 4096",
    "nn, 4096, 8, 4",
    "nn, 32, 8, 8",
    "tn, 8, 8, 4096",
    "nn, 32, 24, 8",
    "nn, 32, 32, 8",
    "nn, 7, 93, 5000",
    "tn, 13, 77, 5000"
  })
  void trainingShapes(String kind, int m, int n, int k) {
    check(kind.equals("tn"), m, n, k, 3, 5, 42);
    check(kind.equals("tn"), m, n, k, 0, 0, 43);
  }

  /**
   * Once compiled, no path allocates: the vectors stay in registers. Shapes that take every kernel
   * (wide and narrow panels with row tails, single columns, two depth chunks; for tn also the four
   * columns and the single column across rows). Until C2 has compiled a kernel it runs interpreted
   * and boxes every vector, so rounds repeat until one is steady: under a byte per call.
   */
  @Test
  void allocatesNothingPerCall() throws Exception {
    // In a JVM of its own: in the suite's JVM, other tests compile Gemm first on their own shapes,
    // and C2 then kept a version that boxed every vector for these (171 KB a call, steadily, in one
    // full run of about four on a loaded machine); a fresh JVM checks what the kernels themselves
    // do.
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), AllocationCheck.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(
        process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }

  /** The rounds of {@link #allocatesNothingPerCall}; exits 1 when every round allocated. */
  static final class AllocationCheck {
    public static void main(String[] args) {
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      if (!threads.isThreadAllocatedMemorySupported()
          || !threads.isThreadAllocatedMemoryEnabled()) {
        System.out.println("the JVM does not count allocation per thread");
        System.exit(1);
      }
      float[] a = new float[50 * 140], b = new float[140 * 80], c = new float[50 * 80];
      int calls = 2_000;
      StringBuilder rounds = new StringBuilder();
      for (int round = 1; round <= 20; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int call = 0; call < calls; call++) {
          Gemm.nn(9, 77, 130, a, 1, 140, b, 2, 80, c, 3, 77);
          Gemm.tn(45, 13, 130, a, 1, 50, b, 2, 80, c, 3, 77);
        }
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        rounds.append("round %d: %d bytes%n".formatted(round, bytes));
        if (bytes < calls) System.exit(0);
      }
      System.out.println("every round allocated a byte or more per call:\n" + rounds);
      System.exit(1);
    }
  }

  /**
   * {@code c += a . b} (or {@code a^T . b}) with every matrix at {@code offset} and its rows
   * {@code slack} floats apart.
   */
  private static void check(
      boolean transposed, int m, int n, int k, int offset, int slack, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int aRows = transposed ? k : m, aCols = transposed ? m : k;
    int lda = aCols + slack, ldb = n + slack + 1, ldc = n + slack;
    float[] a = random(random, size(offset, aRows, aCols, lda));
    float[] b = random(random, size(offset, k, n, ldb));
    float[] c = random(random, size(offset, m, n, ldc));
    float[] aBefore = a.clone(), bBefore = b.clone(), cBefore = c.clone();

    if (transposed) Gemm.tn(m, n, k, a, offset, lda, b, offset, ldb, c, offset, ldc);
    else Gemm.nn(m, n, k, a, offset, lda, b, offset, ldb, c, offset, ldc);

    assertThat(a).isEqualTo(aBefore);
    assertThat(b).isEqualTo(bBefore);
    boolean[] inside = new boolean[c.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        int at = offset + i * ldc + j;
        inside[at] = true;
        double sum = cBefore[at], magnitude = Math.abs(cBefore[at]);
        for (int p = 0; p < k; p++) {
          double term = (double) a[transposed ? offset + p * lda + i : offset + i * lda + p]
              * b[offset + p * ldb + j];
          sum += term;
          magnitude += Math.abs(term);
        }
        if (Math.abs(c[at] - sum) > TOLERANCE * magnitude) {
          throw new AssertionError("c[%d][%d] = %s, expected %s (m=%d n=%d k=%d offset=%d slack=%d)"
              .formatted(i, j, c[at], sum, m, n, k, offset, slack));
        }
      }
    }
    for (int at = 0; at < c.length; at++) {
      if (!inside[at] && c[at] != cBefore[at])
        throw new AssertionError("wrote outside c at index " + at);
    }
  }

  /** Floats up to the last element of the matrix and not one more. */
  private static int size(int offset, int rows, int cols, int ld) {
    return rows == 0 || cols == 0 ? offset : offset + (rows - 1) * ld + cols;
  }

  private static float[] random(SplittableRandom random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) x[i] = (float) random.nextDouble(-1, 1);
    return x;
  }
}
