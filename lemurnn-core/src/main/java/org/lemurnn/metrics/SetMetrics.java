package org.lemurnn.metrics;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's metrics on a whole set (org.lemurnn.train.Evaluation): every {@link Metric}, ADS at
 * {@link AdditiveDropSimilarity#RADII} when asked for ({@code -a}; else empty), and the same again
 * per traffic type when a test set mixes several ({@code byTraffic}, by traffic name; else empty).
 */
public record SetMetrics(
    Map<Metric, Double> means, double[] adsByRadius, SortedMap<String, SetMetrics> byTraffic) {
  public SetMetrics {
    means = new EnumMap<>(means);
    if (means.size() != Metric.values().length) {
      throw new IllegalArgumentException("every metric needs a value: " + means);
    }
    adsByRadius = adsByRadius.clone();
    byTraffic = new TreeMap<>(byTraffic);
  }

  public double get(Metric metric) {
    return means.get(metric);
  }

  /**
   * By the names of training_history.json and training_log.dat, in their order: the metrics,
   * {@code ads_r<R>}, then {@code <traffic>/<name>} of each traffic type.
   */
  public Map<String, Double> byName() {
    Map<String, Double> out = new LinkedHashMap<>();
    means.forEach((metric, value) -> out.put(metric.key(), value));
    for (int r = 0; r < adsByRadius.length; r++)
      out.put("ads_r" + AdditiveDropSimilarity.RADII[r], adsByRadius[r]);
    byTraffic.forEach((traffic, metrics) ->
        metrics.byName().forEach((name, value) -> out.put(traffic + "/" + name, value)));
    return out;
  }
}
