package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.UnitSystem;

class SequenceReportTest {
  private static Map<String, Number> figures(UnitSystem units) {
    float[] drops = {0, 1, 0};
    float[] noBacklog = {0, 0, 0};
    float[] trueLatency = {1, 2, 3}, predLatency = {2, 2, 5};
    return SequenceReport.of(units, drops, drops, noBacklog, noBacklog, trueLatency, predLatency)
        .byName();
  }

  @Test
  void latencyIsNamedMsOnlyInPhysicalUnits() {
    assertThat(figures(UnitSystem.PHYSICAL))
        .containsKey("latency_l1_ms")
        .doesNotContainKey("latency_l1");
    assertThat(figures(UnitSystem.PHYSICAL_KBIT)).containsKey("latency_l1_ms");
    assertThat(figures(UnitSystem.ABSTRACT))
        .containsKey("latency_l1")
        .doesNotContainKey("latency_l1_ms");
  }

  @Test
  void latencyL1IsTheMeanAbsoluteErrorOfTheLatencies() {
    // |1-2| + |2-2| + |3-5| = 3 over 3 packets; the backlogs agree
    Map<String, Number> f = figures(UnitSystem.ABSTRACT);
    assertThat(f.get("latency_l1").doubleValue()).isEqualTo(1.0);
    assertThat(f.get("backlog_l1").doubleValue()).isZero();
  }
}
