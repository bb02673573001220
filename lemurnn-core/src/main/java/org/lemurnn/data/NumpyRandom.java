package org.lemurnn.data;

import java.util.random.RandomGenerator;

/**
 * numpy's legacy global generator ({@code np.random.seed(n)}: MT19937 with {@code init_genrand},
 * doubles from 53 bits of two outputs). Hand-written because no library gives numpy's exact double
 * stream, and with it our generator reproduces the original's data sets value for value (the
 * reference models in {@code testdata/pytorch-models} were trained on them).
 */
public final class NumpyRandom implements RandomGenerator {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int index;

  public NumpyRandom(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("a numpy seed must be between 0 and 2^32 - 1: " + seed);
    }
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** The next 32 bits of MT19937 ({@code genrand_int32}). */
  @Override
  public int nextInt() {
    if (index >= N) twist();
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      int next = mt[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) next ^= 0x9908b0df;
      mt[i] = next;
    }
    index = 0;
  }

  @Override
  public long nextLong() {
    return ((long) nextInt() << 32) | (nextInt() & 0xFFFFFFFFL);
  }

  /** numpy's {@code random_sample}: (a >> 5, b >> 6) as 53 bits. */
  @Override
  public double nextDouble() {
    long a = (nextInt() >>> 5) & 0xFFFFFFFFL;
    long b = (nextInt() >>> 6) & 0xFFFFFFFFL;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** numpy's legacy {@code standard_exponential}: -log(1 - random_sample()). */
  @Override
  public double nextExponential() {
    return -Math.log(1.0 - nextDouble());
  }
}
