package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.testkit.TestData;

class RateScheduleTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aMahimahiTraceGivesEachIntervalTheBytesOfItsOpportunities() throws IOException {
    // 0..99 ms: 3 opportunities, 100..199: none, 200..250: 2 (the last, at the period's end, too)
    Path f = file("cell.down", "0\n5\n99\n150\n250\n");
    RateSchedule s = RateSchedule.read(f, 100);
    assertThat(s.intervals()).isEqualTo(3);
    double perOpportunity = 1500 * 8 / 100e3; // Mbit/s of one 1,500-byte frame per 100 ms
    assertThat(s.rateMbps(0)).isCloseTo(3 * perOpportunity, within(1e-9));
    assertThat(s.rateMbps(1)).isCloseTo(perOpportunity, within(1e-9));
    assertThat(s.rateMbps(2)).isCloseTo(perOpportunity, within(1e-9));
    assertThat(s.rateMbps(3)).as("repeats").isEqualTo(s.rateMbps(0));
  }

  @Test
  void anIntervalWithoutOpportunitiesGetsTheFloorNotZero() throws IOException {
    RateSchedule s = RateSchedule.read(file("gap.down", "0\n1\n2\n3\n350\n"), 100);
    assertThat(s.intervals()).isEqualTo(4);
    double raw = (4 + 1) * 1500 * 8 / 100e3 / 4; // the mean before the floor
    assertThat(s.rateMbps(1)).isCloseTo(RateSchedule.FLOOR_OF_MEAN * raw, within(1e-12));
    assertThat(s.rateMbps(2)).isCloseTo(RateSchedule.FLOOR_OF_MEAN * raw, within(1e-12));
  }

  @Test
  void aTimeRateFileIsAStepFunctionSampledPerInterval() throws IOException {
    Path f = file("steps.txt", "# time_ms rate_mbps\n0 2\n250 8   # a fade ends\n400 4\n");
    RateSchedule s = RateSchedule.read(f, 100);
    // intervals start at 0, 100, 200, 300, 400: the rate in effect at each start
    assertThat(s.rateMbps()).containsExactly(2, 2, 2, 8, 4);
    RateSchedule scaled = s.scaledToMeanMbps(10);
    assertThat(scaled.meanMbps()).isCloseTo(10, within(1e-9));
    assertThat(scaled.rateMbps(3) / scaled.rateMbps(0)).isCloseTo(4, within(1e-9));
  }

  @Test
  void badLinesAreNamedByFileAndLine() throws IOException {
    Path f = file("bad.txt", "0 2\n100 fast\n");
    assertThatThrownBy(() -> RateSchedule.read(f, 100))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("bad.txt")
        .hasMessageContaining("2")
        .hasMessageContaining("time_ms rate_mbps");
    Path back = file("back.txt", "0 2\n100 3\n50 1\n");
    assertThatThrownBy(() -> RateSchedule.read(back, 100))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("does not come after");
    Path zero = file("zero.txt", "0 0\n100 0\n");
    assertThatThrownBy(() -> RateSchedule.read(zero, 100))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("every rate is 0");
  }

  @Test
  void theReferenceCellularTracesScaleToAnyMean() {
    Path trace = TestData.path("mahimahi/Verizon-LTE-short.down");
    RateSchedule s = RateSchedule.read(trace, 100).scaledToMeanMbps(6);
    assertThat(s.meanMbps()).isCloseTo(6, within(1e-9));
    // a cellular link: its 100 ms rates spread far around the mean
    double max = java.util.Arrays.stream(s.rateMbps()).max().orElseThrow();
    double min = java.util.Arrays.stream(s.rateMbps()).min().orElseThrow();
    assertThat(max).isGreaterThan(12);
    assertThat(min).isLessThan(3);
  }
}
