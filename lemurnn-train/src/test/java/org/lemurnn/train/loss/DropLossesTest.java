package org.lemurnn.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.lemurnn.metrics.BacklogMetrics;
import org.lemurnn.metrics.DropMetrics;

/**
 * The differentiable losses equal the plain-Java metrics of org.lemurnn.metrics on the same inputs.
 */
class DropLossesTest {
  private static final NDManager MANAGER = NDManager.newBaseManager();

  @Property(tries = 30)
  void earthmoverEqualsTheMetric(
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 40) int steps,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 1) int normalised) {
    float[][] t = drops(new SplittableRandom(seed), batch, steps, true);
    float[][] p = drops(new SplittableRandom(seed + 1), batch, steps, false);
    double[] expected = DropMetrics.symmetricEarthmover(t, p, 1, normalised == 1);
    float[] actual =
        DropLosses.symmetricEarthmover(nd(t), nd(p), 1, normalised == 1).toFloatArray();
    for (int b = 0; b < batch; b++)
      assertThat((double) actual[b]).isCloseTo(expected[b], within(1e-4 * (1 + expected[b])));
  }

  @Property(tries = 30)
  void dropCountErrorAndBacklogL1EqualTheMetrics(
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 40) int steps,
      @ForAll long seed) {
    float[][] t = drops(new SplittableRandom(seed), batch, steps, true);
    float[][] p = drops(new SplittableRandom(seed + 1), batch, steps, false);
    float[] counts = DropLosses.dropCountError(nd(t), nd(p)).toFloatArray();
    double l1 = 0;
    for (int b = 0; b < batch; b++) {
      assertThat((double) counts[b])
          .isCloseTo(DropMetrics.dropCountError(t[b], p[b]), within(1e-4));
      l1 += BacklogMetrics.l1(t[b], p[b]) / batch;
    }
    assertThat((double) DropLosses.backlogL1(nd(p), nd(t), null).getFloat())
        .isCloseTo(l1, within(1e-5));
  }

  /** ENERGY's distance term against sum_t (cumsum(t - p))^2 computed here in double. */
  @Property(tries = 30)
  void squaredCdfDistanceIsTheSumOfSquaredCdfGaps(
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 40) int steps,
      @ForAll long seed) {
    float[][] t = drops(new SplittableRandom(seed), batch, steps, true);
    float[][] p = drops(new SplittableRandom(seed + 1), batch, steps, false);
    float[] actual = DropLosses.squaredCdfDistance(nd(t), nd(p)).toFloatArray();
    for (int b = 0; b < batch; b++) {
      double gap = 0, expected = 0;
      for (int i = 0; i < steps; i++) {
        gap += (double) t[b][i] - p[b][i];
        expected += gap * gap;
      }
      assertThat((double) actual[b]).isCloseTo(expected, within(1e-5 * (1 + expected)));
    }
  }

  /**
   * ENERGY's P(drop) is the two-class softmax: 1 / (1 + exp(l0 - l1)), keep logit l0, drop logit
   * l1.
   */
  @Property(tries = 30)
  void dropProbabilityIsTheTwoClassSoftmax(
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 40) int steps,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] logits = new float[batch * steps * 2];
    for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextDouble(-30, 30);
    float[] actual = DropLosses.dropProbability(MANAGER.create(logits, new Shape(batch, steps, 2)))
        .toFloatArray();
    assertThat(actual).hasSize(batch * steps);
    for (int i = 0; i < actual.length; i++) {
      double expected = 1 / (1 + Math.exp((double) logits[2 * i] - logits[2 * i + 1]));
      assertThat((double) actual[i]).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void crossEntropyIsTheMeanNegativeLogLikelihood() {
    NDArray logits = MANAGER.create(new float[] {0, 0, 2, -1, -3, 1}, new Shape(1, 3, 2));
    NDArray drops = MANAGER.create(new float[] {1, 0, 1}, new Shape(1, 3));
    double expected = (Math.log(2) + Math.log(1 + Math.exp(-3)) + Math.log(1 + Math.exp(-4))) / 3;
    assertThat((double) DropLosses.crossEntropy(logits, drops).getFloat())
        .isCloseTo(expected, within(1e-6));
  }

  /**
   * Against log-sum-exp in double precision, for margins up to +-60 (no overflow, no NaN), and its
   * gradient sigma(m) - drop.
   */
  @Property(tries = 30)
  void crossEntropyAndItsGradientHoldForLargeLogits(
      @ForAll @IntRange(min = 1, max = 40) int steps, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] logits = new float[steps * 2];
    float[] drops = new float[steps];
    for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextDouble(-30, 30);
    for (int t = 0; t < steps; t++) drops[t] = random.nextBoolean() ? 1 : 0;
    double expected = 0;
    double[] expectedGradient = new double[logits.length];
    for (int t = 0; t < steps; t++) {
      double keep = logits[2 * t], drop = logits[2 * t + 1], max = Math.max(keep, drop);
      double logSum = max + Math.log(Math.exp(keep - max) + Math.exp(drop - max));
      expected += logSum - (drops[t] == 1 ? drop : keep);
      double pDrop = Math.exp(drop - logSum);
      expectedGradient[2 * t + 1] = (pDrop - drops[t]) / steps;
      expectedGradient[2 * t] = -(pDrop - drops[t]) / steps;
    }
    expected /= steps;
    NDArray x = MANAGER.create(logits, new Shape(1, steps, 2));
    x.setRequiresGradient(true);
    try (var collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = DropLosses.crossEntropy(x, MANAGER.create(drops, new Shape(1, steps)));
      collector.backward(loss);
      assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-5 * (1 + expected)));
    }
    float[] gradient = x.getGradient().toFloatArray();
    for (int i = 0; i < gradient.length; i++)
      assertThat((double) gradient[i]).isCloseTo(expectedGradient[i], within(1e-6));
  }

  /**
   * The original's normalised earthmover gave NaN on a batch without drops; ours gives 0 and finite
   * gradients.
   */
  @Test
  void noNanOnABatchWithoutDrops() {
    for (Objective objective : Objective.values()) {
      NDArray logits =
          MANAGER.create(new float[] {30, -30, 30, -30, 30, -30, 30, -30}, new Shape(2, 2, 2));
      logits.setRequiresGradient(true);
      NDArray backlog = MANAGER.zeros(new Shape(2, 2));
      NDArray none = MANAGER.zeros(new Shape(2, 2));
      try (var collector = Engine.getInstance().newGradientCollector()) {
        var terms = objective.trainingLoss(backlog, logits, backlog, none, null, true);
        collector.backward(terms.total());
        assertThat(terms.total().getFloat()).isFinite();
        if (objective == Objective.EARTHMOVER)
          assertThat(terms.parts().get("earthmover").getFloat()).isCloseTo(0f, within(1e-6f));
      }
      for (float g : logits.getGradient().toFloatArray()) assertThat(g).isFinite();
    }
  }

  private static float[][] drops(SplittableRandom random, int batch, int steps, boolean binary) {
    float[][] d = new float[batch][steps];
    for (float[] row : d) {
      for (int i = 0; i < steps; i++)
        row[i] = binary ? (random.nextDouble() < 0.2 ? 1 : 0) : (float) random.nextDouble();
    }
    return d;
  }

  private static NDArray nd(float[][] v) {
    float[] flat = new float[v.length * v[0].length];
    for (int b = 0; b < v.length; b++)
      System.arraycopy(v[b], 0, flat, b * v[0].length, v[0].length);
    return MANAGER.create(flat, new Shape(v.length, v[0].length));
  }
}
