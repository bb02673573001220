package org.lemurnn.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;

/**
 * A competing flow through the same FIFO ({@link RateProcess.Kind#CROSS}) as the link rule emulates
 * it: a full queue drops the two flows alike, where a share of the rate drops only the link's own
 * packets.
 */
class CrossFlowTest {
  private static final double MBPS = 10, QUEUE_KBYTE = 30;

  /** Poisson packets of {@code kbyte} at {@code load} x the capacity. */
  private static LinkSample poisson(int n, double kbyte, double load, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] gaps = new double[n], sizes = new double[n];
    double meanGapMs = kbyte * 8 / (load * MBPS);
    for (int i = 0; i < n; i++) {
      gaps[i] = -meanGapMs * Math.log(1 - r.nextDouble());
      sizes[i] = kbyte;
    }
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "trace",
        "t",
        MBPS,
        QUEUE_KBYTE,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
  }

  private static LinkSample emulate(RateProcess rates, LinkSample load, long seed) {
    ModelSpec spec = new ModelSpec(CellType.RELU_RNN, 1, 1, "x", "bd", UnitSystem.PHYSICAL, 1)
        .withPrior(LinkPrior.NOMINAL.withRates(rates));
    return LinkPrediction.predict(new PriorOnly(spec), load, DropRule.link(seed));
  }

  private static double dropRate(LinkSample s) {
    return (double) s.dropCount() / s.length();
  }

  /** The other flow always on at {@code level} x the capacity. */
  private static RateProcess always(double level, RateProcess.Kind kind) {
    return new RateProcess(10, new double[] {level}, new double[][] {{1}}, kind, false);
  }

  /**
   * Probes at 0.6 C of the same frames as a flow at 0.8 C: 1.4 C offered, so a full FIFO loses 1 -
   * 1 / 1.4 = 29% of what arrives, of either flow alike. A share of 0.2 C left to the probes
   * instead drops 1 - 0.2 / 0.6 = 67% of them.
   */
  @Test
  void aFullFifoDropsTheFlowsInProportionToTheirArrivals() {
    double frame = RateProcess.CROSS_FRAME_BYTES / 1000;
    LinkSample load = poisson(20_000, frame, 0.6, 1);
    LinkSample cross = emulate(always(0.8, RateProcess.Kind.CROSS), load, 1);
    LinkSample share = emulate(always(0.2, RateProcess.Kind.SHARE), load, 1);
    assertThat(dropRate(cross)).isBetween(0.22, 0.32);
    assertThat(dropRate(share)).isGreaterThan(0.55);
    // a full queue delays a packet by its limit at the capacity, whichever flow filled it
    double fullMs = QUEUE_KBYTE * 8 / MBPS;
    double worst = 0;
    for (int i = 0; i < cross.length(); i++)
      if (!cross.dropped()[i]) worst = Math.max(worst, cross.latency()[i]);
    assertThat(worst).isBetween(0.9 * fullMs, 1.01 * fullMs);
  }

  /** Below the capacity nothing is lost, and the other flow's frames delay the probes. */
  @Test
  void belowCapacityTheOtherFlowOnlyDelays() {
    LinkSample load = poisson(10_000, 0.7, 0.3, 2);
    LinkSample alone = emulate(always(0, RateProcess.Kind.CROSS), load, 1);
    LinkSample shared = emulate(always(0.5, RateProcess.Kind.CROSS), load, 1);
    assertThat(shared.dropCount()).isZero();
    assertThat(mean(shared.latency())).isGreaterThan(2 * mean(alone.latency()));
  }

  @Test
  void theSameSeedDrawsTheSameFlowAndAnotherSeedAnother() {
    RateProcess onOff = RateProcess.onOff(10, 0, 0.9, 200, 200);
    LinkSample load = poisson(10_000, 0.7, 0.5, 3);
    LinkSample a = emulate(onOff, load, 5),
        b = emulate(onOff, load, 5),
        c = emulate(onOff, load, 6);
    assertThat(b.latency()).containsExactly(a.latency());
    assertThat(b.dropped()).containsExactly(a.dropped());
    assertThat(c.latency()).isNotEqualTo(a.latency());
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElseThrow();
  }
}
