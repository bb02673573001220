package org.lemurnn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;

class DropRuleTest {
  /** Logits whose softmax gives P(drop) = p. */
  private static float[] outputs(double p) {
    return new float[] {0, 0, (float) Math.log(p / (1 - p))};
  }

  @Property(tries = 50)
  void sampledDropsHappenAsOftenAsTheModelExpects(
      @ForAll @DoubleRange(min = 0.02, max = 0.98) double p,
      @ForAll @LongRange(min = 0, max = 1000) long seed) {
    DropRule.Decider decider = DropRule.sample(seed).decider(0);
    int n = 20_000, drops = 0;
    for (int i = 0; i < n; i++) if (decider.drops(outputs(p))) drops++;
    // binomial: 4.5 standard deviations either side
    assertThat((double) drops / n).isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / n)));
  }

  @Test
  void theArgmaxRuleOfAnUnsureModelNeverDropsButSamplingDoes() {
    float[] unsure = outputs(0.4);
    DropRule.Decider argmax = DropRule.argmax().decider(0),
        sample = DropRule.sample(7).decider(0);
    int argmaxDrops = 0, sampledDrops = 0;
    for (int i = 0; i < 1000; i++) {
      if (argmax.drops(unsure)) argmaxDrops++;
      if (sample.drops(unsure)) sampledDrops++;
    }
    assertThat(argmaxDrops).isZero();
    assertThat(sampledDrops).isBetween(300, 500);
  }

  @Test
  void aSeededRuleGivesTheSameRunTwiceAndOtherSeedsOrStreamsAnother() {
    List<Boolean> first = run(DropRule.sample(3), 0), again = run(DropRule.sample(3), 0);
    assertThat(again).isEqualTo(first);
    assertThat(run(DropRule.sample(4), 0)).isNotEqualTo(first);
    assertThat(run(DropRule.sample(3), 1)).isNotEqualTo(first);
  }

  @Test
  void restartingADeciderRepeatsItsDraws() {
    DropRule.Decider d = DropRule.sample(11).decider(0);
    boolean[] a = new boolean[200], b = new boolean[200];
    for (int i = 0; i < a.length; i++) a[i] = d.drops(outputs(0.5));
    d.restart();
    for (int i = 0; i < b.length; i++) b[i] = d.drops(outputs(0.5));
    assertThat(b).isEqualTo(a);
  }

  @Test
  void aThresholdDropsAboveItAndMustBeAProbability() {
    DropRule.Decider d = DropRule.threshold(0.3).decider(0);
    assertThat(d.drops(outputs(0.31))).isTrue();
    assertThat(d.drops(outputs(0.29))).isFalse();
    assertThatThrownBy(() -> DropRule.threshold(1.5))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> DropRule.Kind.fromFileName("coin"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("sample, argmax, threshold, queue or link");
  }

  /**
   * Through LinkPrediction: the same sample predicted twice with one seed drops the same packets.
   */
  private static List<Boolean> run(DropRule rule, int stream) {
    Predictor unsure = new Predictor() {
      final ModelSpec spec =
          new ModelSpec(CellType.RELU_RNN, 1, 1, "bscq", "bd", UnitSystem.PHYSICAL, 1);

      @Override
      public ModelSpec spec() {
        return spec;
      }

      @Override
      public void step(float[] features, float[] out) {
        System.arraycopy(outputs(0.5), 0, out, 0, 3);
      }

      @Override
      public void reset() {}
    };
    LinkPrediction link = new LinkPrediction(unsure, UnitSystem.PHYSICAL, 8, 20, rule, stream);
    link.reset();
    List<Boolean> fates = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) fates.add(link.arrive(1, 1));
    if (stream == 0) {
      int n = fates.size();
      LinkSample sample = new LinkSample(
          UnitSystem.PHYSICAL,
          "l",
          "t",
          8,
          20,
          filled(n),
          filled(n),
          new double[n],
          new double[n],
          new boolean[n]);
      boolean[] dropped = LinkPrediction.predict(unsure, sample, rule).dropped();
      for (int i = 0; i < n; i++)
        assertThat(dropped[i]).isEqualTo(fates.get(i)); // predict = the same stream
    }
    return fates;
  }

  private static double[] filled(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, 1);
    return a;
  }
}
