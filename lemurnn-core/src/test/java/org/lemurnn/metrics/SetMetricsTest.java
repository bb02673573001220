package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SetMetricsTest {
  private static Map<Metric, Double> each(double base) {
    Map<Metric, Double> m = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) m.put(metric, base + metric.ordinal());
    return m;
  }

  /**
   * The names and order of training_history.json's *_loss_details and training_log.dat's columns.
   */
  @Test
  void namesAreTheFilesInTheirOrder() {
    double[] ads = new double[AdditiveDropSimilarity.RADII.length];
    TreeMap<String, SetMetrics> byTraffic = new TreeMap<>();
    byTraffic.put("exponential", new SetMetrics(each(20), ads, new TreeMap<>()));
    byTraffic.put("cbr", new SetMetrics(each(10), ads, new TreeMap<>()));
    Map<String, Double> names = new SetMetrics(each(0), ads, byTraffic).byName();
    int perSet = Metric.values().length + ads.length;
    assertThat(names).hasSize(3 * perSet);
    assertThat(names.keySet())
        .startsWith(
            "backlog_l1",
            "backlog_n",
            "cross_entropy",
            "droprate",
            "wasserstein",
            "energy",
            "earthmover",
            "drop_accuracy",
            "ads_r0");
    assertThat(names.keySet().stream().skip(perSet).findFirst()).contains("cbr/backlog_l1");
    assertThat(names.keySet().stream().skip(2L * perSet).findFirst())
        .contains("exponential/backlog_l1");
    assertThat(names)
        .containsEntry("ads_r16", 0.0)
        .containsEntry("cbr/droprate", 13.0)
        .containsEntry("drop_accuracy", 7.0);
  }

  @Test
  void everyMetricNeedsAValue() {
    Map<Metric, Double> missing = each(0);
    missing.remove(Metric.ENERGY);
    assertThatThrownBy(() -> new SetMetrics(missing, new double[0], new TreeMap<>()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
