package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/** Figures of small traces worked out by hand. */
class FidelityTest {
  /** A trace of the given latencies (ms) and drops (a dropped packet's latency is ignored). */
  private static LinkSample trace(double[] latencyMs, boolean[] dropped) {
    int n = latencyMs.length;
    double[] gap = new double[n], size = new double[n], backlog = new double[n];
    java.util.Arrays.fill(gap, 1);
    java.util.Arrays.fill(size, 1);
    return new LinkSample(
        UnitSystem.PHYSICAL, "trace", "trace", 8, 10, gap, size, backlog, latencyMs, dropped);
  }

  private static final boolean F = false, T = true;

  @Test
  void figuresOfAHandMadeTrace() {
    // 10 packets, drops at 2, 3 (a burst of 2) and 7 (a burst of 1); delivered latencies 1..7
    LinkSample s = trace(
        new double[] {1, 2, 0, 0, 3, 4, 5, 0, 6, 7}, new boolean[] {F, F, T, T, F, F, F, T, F, F});
    LinkFigures f = LinkFigures.of(s);
    assertThat(f.packets()).isEqualTo(10);
    assertThat(f.drops()).isEqualTo(3);
    assertThat(f.dropRate()).isEqualTo(0.3);
    assertThat(f.meanBurstPackets()).isEqualTo(1.5);
    assertThat(f.delivered()).isEqualTo(7);
    assertThat(f.latencyMean()).isCloseTo(4, within(1e-12));
    assertThat(f.latencyP50()).isEqualTo(4); // rank ceil(3.5) = 4
    assertThat(f.latencyP90()).isEqualTo(7); // rank ceil(6.3) = 7
    assertThat(f.latencyP99()).isEqualTo(7);
    // a base latency moves every latency figure
    assertThat(LinkFigures.of(s, 10).latencyP50()).isEqualTo(14);
    assertThat(LinkFigures.of(s, 10).latencyMean()).isCloseTo(14, within(1e-12));
  }

  @Test
  void burstsAreRunsOfConsecutiveDrops() {
    assertThat(LinkFigures.meanBurst(new boolean[] {T, T, T, F, T, F, F, T, T}))
        .isEqualTo(2); // 6 drops in 3 runs
    assertThat(LinkFigures.meanBurst(new boolean[] {F, F})).isNaN();
    assertThat(LinkFigures.meanBurst(new boolean[] {T})).isEqualTo(1);
  }

  @Test
  void comparingTwoTraces() {
    LinkSample truth = trace(new double[] {1, 2, 3, 4, 0}, new boolean[] {F, F, F, F, T});
    // emulated: no drops, every latency 1 ms higher, one more delivered packet at 10 ms
    LinkSample emulated = trace(new double[] {2, 3, 4, 5, 10}, new boolean[] {F, F, F, F, F});
    Fidelity f = Fidelity.compare(truth, emulated);
    assertThat(f.dropRateErrorPoints()).isCloseTo(20, within(1e-9));
    assertThat(f.burstErrorPackets()).isNaN(); // the emulated link has no bursts
    // true p99 = 4, emulated p99 = 10
    assertThat(f.truth().latencyP99()).isEqualTo(4);
    assertThat(f.emulated().latencyP99()).isEqualTo(10);
    assertThat(f.p99RelativeError()).isCloseTo(1.5, within(1e-12));
    // mean 2.5 against 4.8
    assertThat(f.meanRelativeError()).isCloseTo(2.3 / 2.5, within(1e-12));
    // W1 of {1,2,3,4} (1/4 each) and {2,3,4,5,10} (1/5 each): integrate |F1 - F2|
    // [1,2) 1/4, [2,3) |2/4-1/5| = .3, [3,4) |3/4-2/5| = .35, [4,5) |1-3/5| = .4, [5,10) |1-4/5| =
    // .2 x 5
    assertThat(f.latencyW1()).isCloseTo(0.25 + 0.3 + 0.35 + 0.4 + 1.0, within(1e-12));
  }

  @Test
  void meansWeighEveryTraceAlikeAndAverageTheErrors() {
    LinkSample a = trace(new double[] {1, 1, 1, 1}, new boolean[] {F, F, F, T});
    LinkSample b = trace(new double[] {2, 2, 2, 2}, new boolean[] {F, F, F, F});
    Fidelity ab = Fidelity.compare(a, b), ba = Fidelity.compare(b, a);
    Fidelity mean = Fidelity.mean(List.of(ab, ba));
    // both are 25 points off, in opposite directions: the mean error is 25, not 0
    assertThat(mean.dropRateErrorPoints()).isCloseTo(25, within(1e-9));
    assertThat(mean.truth().dropRate()).isCloseTo(0.125, within(1e-12));
    assertThat(mean.truth().packets()).isEqualTo(8);
    // p99 errors 100% (1 -> 2) and 50% (2 -> 1)
    assertThat(mean.p99RelativeError()).isCloseTo(0.75, within(1e-12));
    assertThat(mean.latencyW1()).isCloseTo(1, within(1e-12));
    // only a has a burst: the mean burst is a's
    assertThat(mean.truth().meanBurstPackets()).isEqualTo(1);
  }
}
