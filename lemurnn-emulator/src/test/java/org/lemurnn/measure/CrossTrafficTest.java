package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrossTrafficTest {
  private static final double C_MBPS = 8;

  /** Frames per second the sends make over {@code seconds}, and the longest silence, in ms. */
  private static double[] rateAndLongestSilence(CrossTraffic traffic, long seed, double seconds) {
    CrossTraffic.Sends sends = traffic.sends(C_MBPS, seed);
    long end = Math.round(seconds * 1e9), previous = 0, longest = 0, n = 0;
    for (long t; (t = sends.nextNs()) < end; n++) {
      assertThat(t).isGreaterThanOrEqualTo(previous);
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return new double[] {n / seconds, longest / 1e6};
  }

  @Test
  void bothKindsOfferTheirShareOfCOnAverage() {
    double framesPerSecond = 0.4 * C_MBPS * 1e6 / (8 * CrossTraffic.FRAME_BYTES);
    for (CrossTraffic.Kind kind : CrossTraffic.Kind.values()) {
      CrossTraffic traffic = new CrossTraffic(kind, 0.4, 250, CrossTraffic.FRAME_BYTES);
      double rate = rateAndLongestSilence(traffic, 7, 600)[0];
      assertThat(rate)
          .as(kind.fileName())
          .isBetween(0.95 * framesPerSecond, 1.05 * framesPerSecond);
    }
  }

  @Test
  void onOffTrafficFallsSilentForHundredsOfMillisecondsPoissonDoesNot() {
    // 0.4 x 8 Mbit/s in 1,400-byte frames: a frame every 3.5 ms on average
    double poisson = rateAndLongestSilence(
        new CrossTraffic(CrossTraffic.Kind.POISSON, 0.4, 250, 1400), 3, 60)[1];
    double onOff =
        rateAndLongestSilence(new CrossTraffic(CrossTraffic.Kind.ONOFF, 0.4, 250, 1400), 3, 60)[1];
    assertThat(poisson).isLessThan(60);
    assertThat(onOff).isGreaterThan(500);
  }

  @Test
  void kindsAndSharesAreChecked() {
    assertThat(CrossTraffic.Kind.parse("OnOff")).isEqualTo(CrossTraffic.Kind.ONOFF);
    assertThatThrownBy(() -> CrossTraffic.Kind.parse("tcp"))
        .hasMessageContaining("poisson or onoff");
    assertThatThrownBy(() -> new CrossTraffic(CrossTraffic.Kind.POISSON, 0, 250, 1400))
        .hasMessageContaining("--cross_share");
  }
}
