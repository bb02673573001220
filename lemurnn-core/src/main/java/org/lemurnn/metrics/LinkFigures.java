package org.lemurnn.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * What a user sees of a link over one trace: how many packets it dropped, in what bursts, and the
 * latency distribution of the packets it delivered. Latencies are in the sample's time unit (ms for
 * physical samples) and include the base latency given to {@link #of(LinkSample, double)}; their
 * quantiles are nearest-rank ({@link Latencies#quantile}). A figure that does not exist (no drops,
 * so no burst; nothing delivered, so no latency) is NaN.
 *
 * @param packets packets in the trace
 * @param drops packets dropped
 * @param dropRate drops / packets (a fraction)
 * @param meanBurstPackets mean length of the runs of consecutive drops: drops / runs
 * @param delivered packets delivered
 */
public record LinkFigures(
    long packets,
    long drops,
    double dropRate,
    double meanBurstPackets,
    long delivered,
    double latencyMean,
    double latencyP50,
    double latencyP90,
    double latencyP99,
    double latencyP999)
    implements Serializable {

  /**
   * The figures of a sample whose latencies carry no base latency (or one that does not matter).
   */
  public static LinkFigures of(LinkSample sample) {
    return of(sample, 0);
  }

  /** The figures of a sample, {@code baseLatency} added to every delivered packet's latency. */
  public static LinkFigures of(LinkSample sample, double baseLatency) {
    return of(sample, Latencies.delivered(sample, baseLatency));
  }

  static LinkFigures of(LinkSample sample, double[] sortedLatency) {
    int n = sample.length();
    int drops = sample.dropCount();
    return new LinkFigures(
        n,
        drops,
        n == 0 ? Double.NaN : (double) drops / n,
        meanBurst(sample.dropped()),
        sortedLatency.length,
        Latencies.mean(sortedLatency),
        Latencies.quantile(sortedLatency, 0.5),
        Latencies.quantile(sortedLatency, 0.9),
        Latencies.quantile(sortedLatency, 0.99),
        Latencies.quantile(sortedLatency, 0.999));
  }

  /**
   * The figures by their JSON names, in print order; a latency's name ends in {@code _ms} only for
   * physical units. A figure that does not exist (NaN) is null.
   */
  public Map<String, Number> byName(UnitSystem units) {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("packets", packets);
    m.put("drops", drops);
    m.put("drop_percent", number(100 * dropRate));
    m.put("mean_burst_packets", number(meanBurstPackets));
    m.put("delivered", delivered);
    m.put(timeKey("latency_mean", units), number(latencyMean));
    m.put(timeKey("latency_p50", units), number(latencyP50));
    m.put(timeKey("latency_p90", units), number(latencyP90));
    m.put(timeKey("latency_p99", units), number(latencyP99));
    m.put(timeKey("latency_p999", units), number(latencyP999));
    return m;
  }

  /**
   * A JSON name of a time: {@code _ms} appended only where the time unit is ms (abstract presets
   * have their own).
   */
  static String timeKey(String name, UnitSystem units) {
    return units == UnitSystem.ABSTRACT ? name : name + "_ms";
  }

  /** NaN as null: JSON has no NaN. */
  static Double number(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** Mean length of the runs of consecutive drops; NaN without drops. */
  public static double meanBurst(boolean[] dropped) {
    int drops = 0, runs = 0;
    for (int i = 0; i < dropped.length; i++) {
      if (!dropped[i]) continue;
      drops++;
      if (i == 0 || !dropped[i - 1]) runs++;
    }
    return runs == 0 ? Double.NaN : (double) drops / runs;
  }

  /**
   * The figures averaged over traces, each trace weighing alike: rates and latencies are means of
   * the per-trace figures over the traces that have them (NaN skipped), counts are totals.
   */
  public static LinkFigures mean(List<LinkFigures> all) {
    return new LinkFigures(
        all.stream().mapToLong(LinkFigures::packets).sum(),
            all.stream().mapToLong(LinkFigures::drops).sum(),
        meanOf(all, LinkFigures::dropRate), meanOf(all, LinkFigures::meanBurstPackets),
        all.stream().mapToLong(LinkFigures::delivered).sum(), meanOf(all, LinkFigures::latencyMean),
        meanOf(all, LinkFigures::latencyP50), meanOf(all, LinkFigures::latencyP90),
        meanOf(all, LinkFigures::latencyP99), meanOf(all, LinkFigures::latencyP999));
  }

  /** The mean of a figure over the items where it is a number; NaN when it is nowhere. */
  static <T> double meanOf(List<T> items, ToDoubleFunction<T> figure) {
    return items.stream()
        .mapToDouble(figure)
        .filter(v -> !Double.isNaN(v))
        .average()
        .orElse(Double.NaN);
  }
}
