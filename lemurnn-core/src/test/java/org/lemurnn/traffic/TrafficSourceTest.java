package org.lemurnn.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrafficSourceTest {
  @ParameterizedTest
  @EnumSource(value = TrafficKind.class, names = "TCP_RENO", mode = EnumSource.Mode.EXCLUDE)
  void openLoopKindsKeepTheMeanRate(TrafficKind kind) {
    double rate = 0.25; // packets per time unit
    TrafficSource source = kind.start(new SplittableRandom(1), rate);
    int n = 200_000;
    double total = 0;
    for (int i = 0; i < n; i++) total += source.nextGap(false, 0);
    assertThat(n / total).isCloseTo(rate, within(rate * 0.02));
  }

  @Test
  void cbrGapsAreEqual() {
    TrafficSource source = TrafficKind.CBR.start(new SplittableRandom(1), 4);
    for (int i = 0; i < 10; i++) assertThat(source.nextGap(false, 0)).isEqualTo(0.25);
  }

  @Test
  void burstyCbrIsOnOff() {
    // rate 1: 16 packets 0.25 apart, and 16 - 15 x 0.25 = 12.25 of silence before each burst
    TrafficSource source = TrafficKind.BURSTY_CBR.start(new SplittableRandom(1), 1);
    for (int burst = 0; burst < 3; burst++) {
      assertThat(source.nextGap(false, 0)).isEqualTo(12.25);
      for (int i = 1; i < 16; i++) assertThat(source.nextGap(false, 0)).isEqualTo(0.25);
    }
  }

  @Test
  void burstyExponentialIsBurstierThanPoisson() {
    // the coefficient of variation of Poisson gaps is 1; on/off with 4x peak makes it clearly
    // larger
    TrafficSource source = TrafficKind.BURSTY_EXPONENTIAL.start(new SplittableRandom(2), 1);
    int n = 200_000;
    double sum = 0, sumSq = 0;
    for (int i = 0; i < n; i++) {
      double g = source.nextGap(false, 0);
      sum += g;
      sumSq += g * g;
    }
    double mean = sum / n;
    double cv = Math.sqrt(sumSq / n - mean * mean) / mean;
    assertThat(cv).isGreaterThan(2);
  }

  @Test
  void tcpRenoGrowsByOneOverCwndAndHalvesOnDrops() {
    TrafficSource.TcpReno reno =
        (TrafficSource.TcpReno) TrafficKind.TCP_RENO.start(new SplittableRandom(1), 1);
    // base RTT = 20 gaps of the nominal rate 1 = 20; window starts at 2
    assertThat(reno.nextGap(false, 0)).isEqualTo(10);
    assertThat(reno.nextGap(false, 0)).isEqualTo(20 / 2.5); // cwnd 2 + 1/2
    assertThat(reno.nextGap(false, 4)).isEqualTo(24 / 2.9); // cwnd 2.5 + 1/2.5, RTT 20 + latency 4
    assertThat(reno.nextGap(true, 0)).isEqualTo(20 / 1.45); // a drop halves the window
    assertThat(reno.nextGap(true, 0)).isEqualTo(20.0); // never below 1
    assertThat(reno.window()).isEqualTo(1);
    assertThat(TrafficKind.TCP_RENO.closedLoop()).isTrue();
  }
}
