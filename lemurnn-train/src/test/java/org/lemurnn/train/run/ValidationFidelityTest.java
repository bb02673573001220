package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PriorOnly;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;

class ValidationFidelityTest {
  /**
   * Validation weighs the fitted link alone beside the network's rules: on links that are exactly
   * their fitted link (a packet queue served at 0.9 x the named rate, the timestamps' peak at 1.1
   * x), a network with random weights is emulated best by the link rule, which then scores 0; every
   * rule that runs the network (whose physical bound serves at the peak) scores worse.
   */
  @Test
  void aLinkThatIsItsFittedLinkIsEmulatedByTheLinkAlone() {
    ModelSpec spec = new ModelSpec(
            CellType.RELU_RNN, 1, 8, "bscqix", "bd", UnitSystem.PHYSICAL, 1, 0.024)
        .withPrior(new LinkPrior(LinkPrior.QueueUnit.PACKETS, 0.9, 0.4, 1.1));
    ModelFile network = RandomWeights.of(spec, 3);
    // validation streams carry the link in the model's terms, as FittedLinks feeds them
    ModelSpec inModelTerms = spec.withPrior(spec.prior().unmapped());
    SplittableRandom random = new SplittableRandom(5);
    List<LinkSample> streams = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      LinkSample arrivals = arrivals(random, 2 + 2 * s, 10);
      streams.add(LinkPrediction.predict(new PriorOnly(inModelTerms), arrivals, DropRule.link(1)));
    }
    assertThat(streams.getFirst().dropCount())
        .as("the streams overload their links")
        .isPositive();

    ValidationFidelity.Judgement judged = new ValidationFidelity(streams).judge(network);

    assertThat(judged.dropRule()).isEqualTo("link");
    assertThat(judged.score()).isLessThan(1e-6);
    assertThat(judged.applyTo(network).spec().dropRule()).isEqualTo("link");
  }

  /** 600 Poisson arrivals of 60..1514 bytes at 1.3 x a measured link of capacity C, queue Q. */
  private static LinkSample arrivals(SplittableRandom random, double capacityMbps, double queue) {
    int n = 600;
    double[] gaps = new double[n], sizes = new double[n];
    double meanKbyte = (0.06 + 1.514) / 2;
    double meanGapMs = meanKbyte * 8 / capacityMbps / 1.3;
    for (int i = 0; i < n; i++) {
      gaps[i] = i == 0 ? 0 : -meanGapMs * Math.log(1 - random.nextDouble());
      sizes[i] = 0.06 + random.nextDouble() * (1.514 - 0.06);
    }
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "trace",
        "poisson",
        capacityMbps,
        queue,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
  }
}
