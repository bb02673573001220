package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchForwardCommandTest {
  /**
   * A low rate any machine offers: every packet crosses, the sender's rate is the rate, it is held;
   * whether the sink polls (the default) or blocks for each datagram, it gets every one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1000", "0"})
  void aLowRateIsOfferedInFullAndHeld(String sinkPollUs) {
    Cli r = Cli.run(
        "bench-forward",
        "--models",
        "relurnn:1x8",
        "--rates",
        "2000",
        "--seconds",
        "0.5",
        "--realtime",
        "0",
        "--sink_poll_us",
        sinkPollUs);
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    List<String> header = Arrays.asList(lines.getFirst().split("\t"));
    List<String> row = Arrays.asList(lines.get(1).split("\t"));
    assertThat(row).hasSameSizeAs(header);
    assertThat(row.get(header.indexOf("offered"))).isEqualTo("1000");
    assertThat(row.get(header.indexOf("received"))).isEqualTo("1000");
    assertThat(row.get(header.indexOf("sunk"))).isEqualTo(row.get(header.indexOf("forwarded")));
    assertThat(Double.parseDouble(row.get(header.indexOf("sender_pps")))).isBetween(1980.0, 2200.0);
    double medianUs = Double.parseDouble(row.get(header.indexOf("release_error_median_us")));
    double maxUs = Double.parseDouble(row.get(header.indexOf("release_error_max_us")));
    assertThat(maxUs).isGreaterThanOrEqualTo(medianUs);
    assertThat(row.getLast()).isEqualTo("yes");
    assertThat(r.out())
        .contains("relurnn:1x8: held 2000 packets/s per direction")
        .doesNotContain("scheduling");
  }

  @Test
  void aNegativeSinkPollIsRefused() {
    Cli r = Cli.run("bench-forward", "--sink_poll_us", "-1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--sink_poll_us must be >= 0, got -1");
  }
}
