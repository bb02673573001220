package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lemurnn.traffic.TrafficKind;

class ProbeTrafficTest {
  /**
   * What probe tbf draws from by default covers Poisson, full-size frames at a constant rate,
   * bursts.
   */
  @Test
  void theRealProgramsMixHasPoissonFullSizeConstantRateAndBursts() {
    assertThat(ProbeTraffic.REAL_PROGRAMS)
        .extracting(ProbeTraffic::kind)
        .containsExactly(TrafficKind.EXPONENTIAL, TrafficKind.CBR, TrafficKind.BURSTY_CBR);
    ProbeSchedule full = ProbeTraffic.REAL_PROGRAMS.get(1).draw(12, 1000, 3);
    assertThat(Arrays.stream(full.frameBytes()).distinct().toArray()).containsExactly(1514);
    long gap = full.offsetNs()[1] - full.offsetNs()[0];
    assertThat(gap)
        .isCloseTo(Math.round(1514 * 8 / 12e6 * 1e9), org.assertj.core.data.Offset.offset(1L));
    ProbeSchedule bursts = ProbeTraffic.REAL_PROGRAMS.get(2).draw(8, 4000, 3);
    assertThat(Arrays.stream(bursts.frameBytes()).max().orElseThrow()).isGreaterThan(1400);
  }
}
