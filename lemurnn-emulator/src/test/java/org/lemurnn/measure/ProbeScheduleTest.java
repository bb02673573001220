package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lemurnn.traffic.TrafficKind;

class ProbeScheduleTest {
  @ParameterizedTest
  @EnumSource(value = TrafficKind.class, names = "TCP_RENO", mode = EnumSource.Mode.EXCLUDE)
  void offersTheAskedLoadWithSizesInRange(TrafficKind kind) {
    ProbeSchedule s = ProbeSchedule.draw(kind, 8, 60, 1400, 20_000, 7);
    long[] offset = s.offsetNs();
    assertThat(offset[0]).isZero();
    for (int i = 1; i < offset.length; i++)
      assertThat(offset[i]).isGreaterThanOrEqualTo(offset[i - 1]);
    assertThat(Arrays.stream(s.frameBytes()).min().orElseThrow()).isGreaterThanOrEqualTo(60);
    assertThat(Arrays.stream(s.frameBytes()).max().orElseThrow()).isLessThanOrEqualTo(1400);
    double bits = 8.0 * Arrays.stream(s.frameBytes()).asLongStream().sum();
    assertThat(bits / (offset[offset.length - 1] / 1e9) / 1e6)
        .isCloseTo(8, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(ProbeSchedule.draw(kind, 8, 60, 1400, 20_000, 7).offsetNs())
        .isEqualTo(offset); // same seed, same run
  }

  @Test
  void closedLoopTrafficAndImpossibleSizesAreRefused() {
    assertThatThrownBy(() -> ProbeSchedule.draw(TrafficKind.TCP_RENO, 8, 60, 1400, 10, 1))
        .hasMessageContaining("--traffic tcp_reno");
    assertThatThrownBy(() -> ProbeSchedule.draw(TrafficKind.CBR, 8, 40, 1400, 10, 1))
        .hasMessageContaining("--size_bytes");
  }
}
