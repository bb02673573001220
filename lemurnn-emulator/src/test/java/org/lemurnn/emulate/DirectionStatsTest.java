package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The release error has no ceiling near the values bench-forward saw (issue 22: a maximum of
 * exactly 100,335.6 us in three rows): the histogram reads a value as its bucket's upper end, so
 * nearby values read alike, and the maximum is kept exactly beside it.
 */
class DirectionStatsTest {
  @Test
  void releaseErrorsOfSecondsAreRecordedAndTheMaximumIsExact() {
    DirectionStats stats = new DirectionStats();
    stats.recordSent(100_300_000, 1, 1);
    stats.recordSent(100_280_000, 1, 1);
    // both in one bucket of 65.5 us: the histogram's reading is the bucket's upper end
    assertThat(stats.releaseErrorPercentileUs(50)).isEqualTo(stats.releaseErrorPercentileUs(100));
    assertThat(stats.releaseErrorPercentileUs(100)).isCloseTo(100_335.6, within(0.1));
    assertThat(stats.releaseErrorMaxUs()).isEqualTo(100_300.0);
    stats.recordSent(7_000_000_000L, 1, 1); // 7 s: far above 100 ms, far below the hour's ceiling
    assertThat(stats.releaseErrorMaxUs()).isEqualTo(7_000_000.0);
    assertThat(stats.releaseErrorPercentileUs(100)).isCloseTo(7_000_000.0, within(7_000.0));
  }
}
