package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/** Temporal figures of hand-made series whose answers are worked out here. */
class TemporalFidelityTest {
  private static final boolean F = false, T = true;

  /** A physical trace: gaps (ms), latencies (ms), drops. */
  private static LinkSample trace(double[] gapMs, double[] latencyMs, boolean[] dropped) {
    int n = latencyMs.length;
    double[] size = new double[n], backlog = new double[n];
    Arrays.fill(size, 1);
    return new LinkSample(
        UnitSystem.PHYSICAL, "trace", "trace", 8, 10, gapMs, size, backlog, latencyMs, dropped);
  }

  private static double[] constant(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  @Test
  void windowMeansAverageTheDeliveredPacketsOfEach100Ms() {
    // arrivals at 40, 80 | 120, 160 | 200 | 340 (window 3; window 2 is 200..299)
    double[] gap = {40, 40, 40, 40, 40, 140};
    double[] latency = {1, 3, 10, 99, 7, 5};
    boolean[] dropped = {F, F, F, T, F, F};
    double[] means = TemporalFidelity.windowMeans(trace(gap, latency, dropped), 100, 0);
    // window 0: (1 + 3) / 2 = 2; window 1: 10 (the drop does not count); window 2: 7; window 3: 5
    assertThat(means).containsExactly(2, 5, 7, 10);
    assertThat(TemporalFidelity.windowMeans(trace(gap, latency, dropped), 100, 1))
        .containsExactly(3, 6, 8, 11);
  }

  @Test
  void aLinkWithTheRightAverageButNoFadesIsFarInWindowMeansNotInItsMean() {
    // true: 1 s at 5 ms, 1 s at 45 ms (a fade); emulated: 25 ms throughout; a packet every 10 ms
    int n = 200;
    double[] gap = constant(n, 10), emulated = constant(n, 25), truth = new double[n];
    for (int i = 0; i < n; i++) truth[i] = i < 100 ? 5 : 45;
    gap[0] = 0; // arrivals at 0, 10, ..., 1990 ms: 10 packets in each window
    boolean[] none = new boolean[n];
    TemporalFidelity t =
        TemporalFidelity.compare(trace(gap, truth, none), trace(gap, emulated, none), 0);
    // every window mean 20 ms from the truth's (5 or 45 against 25)
    assertThat(t.windowMeanW1()).isCloseTo(20, within(1e-9));
    assertThat(t.trueWindowSd()).isCloseTo(20, within(1e-9));
    assertThat(t.emulatedWindowSd()).isCloseTo(0, within(1e-12));
    // a constant series has no autocorrelation; the fade's (deviations +-20 from the mean 25):
    // at lag 10, 180 pairs on one side of the step (+400 each) and 10 across it (-400), / 200 x 400
    assertThat(t.emulatedAcf10()).isNaN();
    assertThat(t.trueAcf10()).isCloseTo((180 - 10) / 200.0, within(1e-12));
    assertThat(t.trueAcf100()).isCloseTo(-100 / 200.0, within(1e-12));
  }

  @Test
  void autocorrelationOfAnAlternatingSeries() {
    double[] x = {1, -1, 1, -1, 1, -1};
    // mean 0, variance sum 6; lag 1: 5 products of -1; lag 2: 4 of +1
    assertThat(TemporalFidelity.autocorrelation(x, 0)).isCloseTo(1, within(1e-12));
    assertThat(TemporalFidelity.autocorrelation(x, 1)).isCloseTo(-5 / 6.0, within(1e-12));
    assertThat(TemporalFidelity.autocorrelation(x, 2)).isCloseTo(4 / 6.0, within(1e-12));
    assertThat(TemporalFidelity.autocorrelation(x, 6)).isNaN();
  }

  @Test
  void burstLengthsAndTheirDistance() {
    assertThat(TemporalFidelity.burstLengths(new boolean[] {T, T, F, T, F, F, T, T, T}))
        .containsExactly(1, 2, 3);
    assertThat(TemporalFidelity.burstLengths(new boolean[] {F, F})).isEmpty();
    // true: bursts of 1, 2, 3 (9 packets); emulated: three single drops; W1 = (0 + 1 + 2) / 3
    boolean[] trueDrops = {T, F, T, T, F, T, T, T, F};
    boolean[] emulatedDrops = {T, F, T, F, F, T, F, F, F};
    double[] gap = constant(9, 1), latency = constant(9, 1);
    TemporalFidelity t = TemporalFidelity.compare(
        trace(gap, latency, trueDrops), trace(gap, latency, emulatedDrops), 0);
    assertThat(t.burstLengthW1()).isCloseTo(1, within(1e-12));
    TemporalFidelity none = TemporalFidelity.compare(
        trace(gap, latency, trueDrops), trace(gap, latency, new boolean[9]), 0);
    assertThat(none.burstLengthW1()).isNaN();
  }

  @Test
  void theMeanOverTracesAveragesErrorsNotFigures() {
    int n = 40;
    double[] gap = constant(n, 10), up = new double[n], down = new double[n], flat = constant(n, 5);
    for (int i = 0; i < n; i++) {
      up[i] = i;
      down[i] = i % 2 == 0 ? 1 : 9;
    }
    boolean[] none = new boolean[n];
    TemporalFidelity a = TemporalFidelity.compare(trace(gap, up, none), trace(gap, down, none), 0);
    TemporalFidelity b = TemporalFidelity.compare(trace(gap, down, none), trace(gap, up, none), 0);
    TemporalFidelity mean = TemporalFidelity.mean(List.of(a, b));
    assertThat(mean.acf10Error()).isCloseTo(a.acf10Error(), within(1e-12));
    assertThat(mean.acf10Error()).isGreaterThan(0.2);
    // the mean true and mean emulated autocorrelations are alike: their difference is not the error
    assertThat(Math.abs(mean.trueAcf10() - mean.emulatedAcf10())).isLessThan(1e-12);
    assertThat(TemporalFidelity.compare(trace(gap, flat, none), trace(gap, up, none), 0)
            .windowMeanW1())
        .isPositive();
  }
}
