package org.lemurnn.cli;

import java.util.Arrays;
import org.lemurnn.infer.Predictor;

/**
 * Per-step latency of a predictor, state carried across steps. Steps are timed in blocks of {@link
 * #BLOCK}: reading the clock costs about as much as a small model's step on virtual machines, so
 * timing each step alone would measure the clock. Median and p99 are over the blocks' per-step means.
 */
record StepLatency(long steps, double medianNs, double p99Ns, double stepsPerSecond) {
  static final int BLOCK = 16;

  static StepLatency measure(Predictor predictor, float[][] rows, int warmupSteps, int steps) {
    float[] out = new float[Predictor.OUTPUTS];
    for (int i = 0; i < warmupSteps; i++) predictor.step(rows[i % rows.length], out);
    int blocks = Math.max(1, steps / BLOCK);
    long[] ns = new long[blocks];
    long total = System.nanoTime();
    for (int b = 0, i = 0; b < blocks; b++) {
      long start = System.nanoTime();
      for (int k = 0; k < BLOCK; k++, i++) predictor.step(rows[i % rows.length], out);
      ns[b] = System.nanoTime() - start;
    }
    total = System.nanoTime() - total;
    Arrays.sort(ns);
    return new StepLatency((long) blocks * BLOCK, ns[blocks / 2] / (double) BLOCK,
        ns[Math.min(blocks - 1, (int) (blocks * 0.99))] / (double) BLOCK, blocks * (double) BLOCK / (total / 1e9));
  }
}
