package org.lemurnn.train.bptt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The squashing functions over array ranges for training, in SIMD. The sigmoid is {@code 0.5 + 0.5
 * tanh(x / 2)}: one vector tanh and no division. The inference kernel's {@code 1 / (1 + exp(-x))}
 * took a seventh of a 3x64 LSTM's training time in a CPU-time profile (JFR
 * {@code jdk.CPUTimeSample}), more than five times the tanh beside it on fewer values.
 * RecurrentCoreTest holds the results to libtorch's.
 */
final class Squash {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private Squash() {}

  static void sigmoid(float[] a, int from, int to) {
    for (int i = from; i < to; i += S.length()) {
      VectorMask<Float> m = S.indexInRange(i - from, to - from);
      FloatVector.fromArray(S, a, i, m)
          .mul(0.5f)
          .lanewise(VectorOperators.TANH)
          .mul(0.5f)
          .add(0.5f)
          .intoArray(a, i, m);
    }
  }

  static void tanh(float[] a, int from, int to) {
    for (int i = from; i < to; i += S.length()) {
      VectorMask<Float> m = S.indexInRange(i - from, to - from);
      FloatVector.fromArray(S, a, i, m).lanewise(VectorOperators.TANH).intoArray(a, i, m);
    }
  }
}
