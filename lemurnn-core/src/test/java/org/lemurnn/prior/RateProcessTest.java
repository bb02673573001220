package org.lemurnn.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateProcessTest {
  /** Two levels, each held for about ten windows at a time. */
  static final RateProcess SLOW_FADES =
      new RateProcess(100, new double[] {0.25, 1.5}, new double[][] {{0.9, 0.1}, {0.1, 0.9}});

  @Test
  void itsTextReadsBackAsItself() {
    assertThat(RateProcess.parse(SLOW_FADES.text())).isEqualTo(SLOW_FADES);
  }

  @Test
  void theSameSeedDrawsTheSameLevelsAndFadesLastAsTheChainSays() {
    RateProcess.Sampler a = SLOW_FADES.new Sampler(7), b = SLOW_FADES.new Sampler(7);
    RateProcess.Sampler other = SLOW_FADES.new Sampler(8);
    int windows = 20_000, changes = 0, differ = 0;
    double previous = a.advance(0), low = 0;
    b.advance(0);
    other.advance(0);
    for (int w = 0; w < windows; w++) {
      double level = a.advance(100);
      assertThat(b.advance(100)).isEqualTo(level);
      if (other.advance(100) != level) differ++;
      if (level != previous) changes++;
      if (level == 0.25) low++;
      previous = level;
    }
    // a level holds for 1 / 0.1 = 10 windows on average, and each is held half the time
    assertThat((double) windows / changes).isCloseTo(10, within(1.0));
    assertThat(low / windows).isCloseTo(0.5, within(0.05));
    assertThat(differ).isGreaterThan(windows / 4);
    a.restart();
    b.restart();
    for (int w = 0; w < 100; w++) assertThat(a.advance(37)).isEqualTo(b.advance(37));
  }

  @Test
  void theTeacherPathFollowsTheRateATraceShows() {
    // back-to-back 1 KByte packets every 1 ms: the first 500 ms served at 8 Mbit/s (1 ms each),
    // then at 2 Mbit/s (4 ms each), on a link of capacity 8
    int n = 600;
    double[] gap = new double[n], size = new double[n], latency = new double[n];
    boolean[] dropped = new boolean[n];
    double departure = 0;
    for (int i = 0; i < n; i++) {
      gap[i] = i == 0 ? 0 : 0.5;
      size[i] = 1;
      double arrival = i * 0.5;
      double service = arrival < 150 ? 1 : 4;
      departure = Math.max(departure, arrival) + service;
      latency[i] = departure - arrival;
    }
    double[] path = SLOW_FADES.teacherPath(gap, size, latency, dropped, 8);
    assertThat(path[10]).isEqualTo(1.5); // 8 Mbit/s is 1 x C: the nearest level is 1.5
    assertThat(path[n - 1]).isEqualTo(0.25); // 2 Mbit/s is 0.25 x C
  }

  @Test
  void theLongRunMeanWeighsEachLevelByTheTimeTheChainSpendsThere() {
    // leaves the slow level with 0.1, the fast one with 0.3: 3/4 of the time slow
    RateProcess uneven =
        new RateProcess(100, new double[] {0.5, 2}, new double[][] {{0.9, 0.1}, {0.3, 0.7}});
    assertThat(uneven.stationary()).containsExactly(new double[] {0.75, 0.25}, within(1e-9));
    assertThat(uneven.meanLevel()).isCloseTo(0.875, within(1e-9));
    RateProcess faster = uneven.scaled(2);
    assertThat(faster.levels()).containsExactly(1, 4);
    assertThat(faster.transitions()).isDeepEqualTo(uneven.transitions());
    assertThat(faster.meanLevel()).isCloseTo(1.75, within(1e-9));
  }

  @Test
  void aLinkStartsAtALevelDrawnAsLongAsTheChainStaysThere() {
    RateProcess uneven =
        new RateProcess(100, new double[] {0.5, 2}, new double[][] {{0.9, 0.1}, {0.3, 0.7}});
    int links = 4000, slow = 0;
    for (int seed = 0; seed < links; seed++) if (uneven.new Sampler(seed).advance(0) == 0.5) slow++;
    assertThat((double) slow / links).isCloseTo(0.75, within(0.03));
  }

  @Test
  void anOnOffFlowIsACrossChainThatReadsBackAndStaysAsLongAsItsMeans() {
    RateProcess flow = RateProcess.onOff(10, 0, 0.8, 250, 100);
    assertThat(flow.cross()).isTrue();
    assertThat(flow.shared()).isFalse();
    assertThat(RateProcess.parse(flow.text())).isEqualTo(flow);
    assertThat(RateProcess.parse(SLOW_FADES.as(RateProcess.Kind.SHARE).text()).shared())
        .isTrue();
    assertThat(flow.meanStayMs(0)).isCloseTo(250, within(1e-9));
    assertThat(flow.meanStayMs(1)).isCloseTo(100, within(1e-9));
    // on 100 / 350 of the time at 0.8
    assertThat(flow.meanLevel()).isCloseTo(0.8 * 100 / 350, within(1e-6));
    assertThat(flow.describe()).contains("competing flow");
  }
}
