package org.lemurnn.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * How well a model followed one sequence: the figures {@code run-model} prints and writes, under
 * the names of its JSON output. Drop distances compare the argmax drops (0/1); earthmover distances
 * are normalised over this one sequence.
 *
 * @param units the sequence's unit system: backlog and latency are in its units
 * @param latencyL1 in the sequence's time unit: ms in physical units, the abstract time unit
 *     otherwise
 */
public record SequenceReport(
    UnitSystem units,
    double dropMatchAccuracy,
    int trueDrops,
    int predictedDrops,
    double earthmoverP1,
    double earthmoverP2,
    double wasserstein,
    double energy,
    double cdfP15,
    double backlogL1,
    double latencyL1)
    implements Serializable {

  /**
   * The figures of a predicted sample (drops, backlog, latency) against the true one over the same
   * packets.
   */
  public static SequenceReport of(LinkSample truth, LinkSample predicted) {
    if (truth.length() != predicted.length()) {
      throw new IllegalArgumentException(
          "samples differ in length: " + truth.length() + " and " + predicted.length());
    }
    return of(
        truth.units(),
        drops(truth),
        drops(predicted),
        floats(truth.backlog()),
        floats(predicted.backlog()),
        floats(truth.latency()),
        floats(predicted.latency()));
  }

  /** 1 for a dropped packet, else 0: the original's drop vectors. */
  public static float[] drops(LinkSample sample) {
    float[] out = new float[sample.length()];
    for (int i = 0; i < out.length; i++) out[i] = sample.dropped()[i] ? 1 : 0;
    return out;
  }

  public static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) out[i] = (float) values[i];
    return out;
  }

  /** Each figure's mean over sequences, by its JSON name (drop counts become mean counts). */
  public static Map<String, Double> meanByName(List<SequenceReport> reports) {
    Map<String, Double> mean = new LinkedHashMap<>();
    for (SequenceReport r : reports) {
      r.byName().forEach((k, v) -> mean.merge(k, v.doubleValue() / reports.size(), Double::sum));
    }
    return mean;
  }

  public static SequenceReport of(
      UnitSystem units,
      float[] trueDrops,
      float[] predDrops,
      float[] trueBacklog,
      float[] predBacklog,
      float[] trueLatency,
      float[] predLatency) {
    return new SequenceReport(
        units,
        DropMetrics.dropMatchAccuracy(trueDrops, predDrops),
        (int) Math.round(DropMetrics.sum(trueDrops)),
        (int) Math.round(DropMetrics.sum(predDrops)),
        DropMetrics.symmetricEarthmover(trueDrops, predDrops, 1, true),
        DropMetrics.symmetricEarthmover(trueDrops, predDrops, 2, true),
        DropMetrics.wasserstein(trueDrops, predDrops),
        DropMetrics.energy(trueDrops, predDrops),
        DropMetrics.cdfDistance(trueDrops, predDrops, 1.5),
        BacklogMetrics.l1(trueBacklog, predBacklog),
        BacklogMetrics.l1(trueLatency, predLatency));
  }

  /** The figures by their JSON names, in print order. */
  public Map<String, Number> byName() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("drop_match_accuracy", dropMatchAccuracy);
    m.put("true_drops", trueDrops);
    m.put("predicted_drops", predictedDrops);
    m.put("earthmover_p1", earthmoverP1);
    m.put("earthmover_p2", earthmoverP2);
    m.put("wasserstein", wasserstein);
    m.put("energy", energy);
    m.put("cdf_p15", cdfP15);
    m.put("backlog_l1", backlogL1);
    m.put(LinkFigures.timeKey("latency_l1", units), latencyL1);
    return m;
  }
}
