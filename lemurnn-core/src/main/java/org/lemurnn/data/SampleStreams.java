package org.lemurnn.data;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Gives every sample its own random stream, derived from (data seed, set, index), so a data set is
 * the same whatever the number of threads that generate it, and growing one set leaves the others
 * unchanged.
 */
public final class SampleStreams {
  private SampleStreams() {}

  /**
   * The stream of sample {@code index} of set {@code set}: any fixed ids will do;
   * {@link SyntheticData} uses test 0, val 1, train length k at 2 + k.
   */
  public static RandomGenerator of(long dataSeed, int set, int index) {
    long h = mix(dataSeed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ ((long) set * 0xC2B2AE3D27D4EB4FL));
    h = mix(h ^ ((long) index * 0x165667B19E3779F9L));
    return new SplittableRandom(h);
  }

  // the finalizer of SplitMix64 (Steele, Lea, Flood 2014): nearby inputs give unrelated outputs
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
