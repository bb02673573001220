package org.lemurnn.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * Whether an emulated link's behaviour lasts as long as the true one's, beyond its per-packet
 * distribution: a fade or a cross-traffic burst raises the latency of every packet for hundreds of
 * milliseconds, and drops come in runs. Three views, true against emulated over the same arrivals:
 *
 * <ul>
 *   <li>100 ms windows of arrival time ({@link #WINDOW_MS}, in the samples' time unit): the mean
 *       latency of the packets each window delivered, and the W1 distance between the true and the
 *       emulated distributions of these window means (a link that only gets the average right has
 *       window means bunched around it, with a small spread);
 *   <li>loss bursts: the lengths of the runs of consecutive drops, W1 between the two distributions
 *       (NaN unless both sides drop; the mean length is {@link LinkFigures});
 *   <li>the autocorrelation of the delivered packets' latency series at lags of 10 and 100
 *       delivered packets (1: the latency stays where it is; near 0: it forgets within the lag).
 * </ul>
 *
 * Written by hand: each is a few lines whose definition must be exact and stated here.
 *
 * @param windowMeanW1 W1 between the true and emulated window means, in the time unit
 * @param trueWindowSd standard deviation of the true window means (their spread)
 * @param emulatedWindowSd standard deviation of the emulated window means
 * @param burstLengthW1 W1 between the true and emulated loss-burst lengths, in packets
 * @param trueAcf10 true latency autocorrelation at lag 10
 * @param emulatedAcf10 emulated latency autocorrelation at lag 10
 * @param trueAcf100 true latency autocorrelation at lag 100
 * @param emulatedAcf100 emulated latency autocorrelation at lag 100
 * @param acf10Error |emulated - true| autocorrelation at lag 10 (averaged over traces: the mean of
 *     the per-trace errors)
 * @param acf100Error |emulated - true| autocorrelation at lag 100
 */
public record TemporalFidelity(
    double windowMeanW1,
    double trueWindowSd,
    double emulatedWindowSd,
    double burstLengthW1,
    double trueAcf10,
    double emulatedAcf10,
    double trueAcf100,
    double emulatedAcf100,
    double acf10Error,
    double acf100Error)
    implements Serializable {
  /** The window of the window means, in the samples' time unit (ms for physical samples). */
  public static final double WINDOW_MS = 100;

  /** Compares two samples of the same arrivals, {@code baseLatency} added to both. */
  public static TemporalFidelity compare(
      LinkSample truth, LinkSample emulated, double baseLatency) {
    double[] trueWindows = windowMeans(truth, WINDOW_MS, baseLatency);
    double[] emulatedWindows = windowMeans(emulated, WINDOW_MS, baseLatency);
    double[] trueSeries = Latencies.inArrivalOrder(truth),
        emulatedSeries = Latencies.inArrivalOrder(emulated);
    double trueAcf10 = autocorrelation(trueSeries, 10),
        emulatedAcf10 = autocorrelation(emulatedSeries, 10),
        trueAcf100 = autocorrelation(trueSeries, 100),
        emulatedAcf100 = autocorrelation(emulatedSeries, 100);
    return new TemporalFidelity(
        Latencies.w1(trueWindows, emulatedWindows),
        sd(trueWindows),
        sd(emulatedWindows),
        Latencies.w1(burstLengths(truth.dropped()), burstLengths(emulated.dropped())),
        trueAcf10,
        emulatedAcf10,
        trueAcf100,
        emulatedAcf100,
        Math.abs(emulatedAcf10 - trueAcf10),
        Math.abs(emulatedAcf100 - trueAcf100));
  }

  /**
   * The mean latency (plus {@code baseLatency}) of the packets delivered in each window of
   * {@code window} arrival time (window k holds the arrivals in [k w, (k + 1) w), arrival time
   * counted from the sample's start), sorted ascending; windows that delivered nothing have no
   * mean.
   */
  public static double[] windowMeans(LinkSample sample, double window, double baseLatency) {
    if (!(window > 0)) throw new IllegalArgumentException("window must be > 0: " + window);
    double[] arrival = sample.arrivalTime();
    int n = sample.length();
    double[] means = new double[n];
    int windows = 0;
    for (int i = 0; i < n; ) {
      long k = (long) Math.floor(arrival[i] / window);
      double sum = 0;
      int count = 0;
      for (; i < n && (long) Math.floor(arrival[i] / window) == k; i++) {
        if (sample.dropped()[i]) continue;
        sum += sample.latency()[i] + baseLatency;
        count++;
      }
      if (count > 0) means[windows++] = sum / count;
    }
    double[] out = Arrays.copyOf(means, windows);
    Arrays.sort(out);
    return out;
  }

  /** The lengths of the runs of consecutive drops, in packets, sorted ascending. */
  public static double[] burstLengths(boolean[] dropped) {
    double[] runs = new double[dropped.length];
    int k = 0, run = 0;
    for (int i = 0; i <= dropped.length; i++) {
      if (i < dropped.length && dropped[i]) {
        run++;
      } else if (run > 0) {
        runs[k++] = run;
        run = 0;
      }
    }
    double[] out = Arrays.copyOf(runs, k);
    Arrays.sort(out);
    return out;
  }

  /**
   * The sample autocorrelation at {@code lag}: sum over i of (x_i - m)(x_{i+lag} - m) divided by
   * sum over i of (x_i - m)^2, m the mean of all values (the usual biased estimator, within [-1,
   * 1]). NaN when there are no more than {@code lag} values or they do not vary.
   */
  public static double autocorrelation(double[] x, int lag) {
    int n = x.length;
    if (lag < 0) throw new IllegalArgumentException("lag must be >= 0: " + lag);
    if (n <= lag) return Double.NaN;
    double mean = Latencies.mean(x);
    double variance = 0, covariance = 0;
    for (int i = 0; i < n; i++) variance += (x[i] - mean) * (x[i] - mean);
    for (int i = 0; i + lag < n; i++) covariance += (x[i] - mean) * (x[i + lag] - mean);
    return variance == 0 ? Double.NaN : covariance / variance;
  }

  private static double sd(double[] values) {
    if (values.length == 0) return Double.NaN;
    double mean = Latencies.mean(values), sum = 0;
    for (double v : values) sum += (v - mean) * (v - mean);
    return Math.sqrt(sum / values.length);
  }

  /**
   * The figures by their JSON names, in print order; a time's name ends in {@code _ms} only for
   * physical units. A figure that does not exist (NaN) is null.
   */
  public Map<String, Number> byName(UnitSystem units) {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put(LinkFigures.timeKey("window_mean_w1", units), LinkFigures.number(windowMeanW1));
    m.put(LinkFigures.timeKey("window_mean_sd_true", units), LinkFigures.number(trueWindowSd));
    m.put(LinkFigures.timeKey("window_mean_sd", units), LinkFigures.number(emulatedWindowSd));
    m.put("burst_length_w1_packets", LinkFigures.number(burstLengthW1));
    m.put("latency_acf10_true", LinkFigures.number(trueAcf10));
    m.put("latency_acf10", LinkFigures.number(emulatedAcf10));
    m.put("latency_acf10_error", LinkFigures.number(acf10Error));
    m.put("latency_acf100_true", LinkFigures.number(trueAcf100));
    m.put("latency_acf100", LinkFigures.number(emulatedAcf100));
    m.put("latency_acf100_error", LinkFigures.number(acf100Error));
    return m;
  }

  /**
   * The figures averaged over traces, each trace weighing alike, over the traces where a figure is
   * a number.
   */
  public static TemporalFidelity mean(List<TemporalFidelity> all) {
    return new TemporalFidelity(
        LinkFigures.meanOf(all, TemporalFidelity::windowMeanW1),
        LinkFigures.meanOf(all, TemporalFidelity::trueWindowSd),
        LinkFigures.meanOf(all, TemporalFidelity::emulatedWindowSd),
        LinkFigures.meanOf(all, TemporalFidelity::burstLengthW1),
        LinkFigures.meanOf(all, TemporalFidelity::trueAcf10),
        LinkFigures.meanOf(all, TemporalFidelity::emulatedAcf10),
        LinkFigures.meanOf(all, TemporalFidelity::trueAcf100),
        LinkFigures.meanOf(all, TemporalFidelity::emulatedAcf100),
        LinkFigures.meanOf(all, TemporalFidelity::acf10Error),
        LinkFigures.meanOf(all, TemporalFidelity::acf100Error));
  }
}
