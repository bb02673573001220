package org.lemurnn.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * How faithfully an emulated link (a model's prediction, or a baseline) reproduces a true one over
 * the same arrivals, as a user judges it: drop rate, loss bursts, latency quantiles and the whole
 * latency distribution of the delivered packets. Latencies and W1 are in the samples' time unit (ms
 * for physical samples). Relative errors are absolute fractions, |emulated - true| / true (NaN when
 * the true value is 0 and the emulated one is not, 0 when both are); a figure that exists on
 * neither side is NaN.
 *
 * @param dropRateErrorPoints |emulated - true| drop rate, in percentage points
 * @param burstErrorPackets |emulated - true| mean loss-burst length, in packets (NaN unless both
 *     drop)
 * @param latencyW1 Wasserstein-1 distance between the true and emulated latency distributions
 *     ({@link Latencies#w1})
 * @param temporal how long the link's behaviour lasts: window means, loss-burst lengths,
 *     autocorrelation
 */
public record Fidelity(
    LinkFigures truth,
    LinkFigures emulated,
    double dropRateErrorPoints,
    double burstErrorPackets,
    double meanRelativeError,
    double p50RelativeError,
    double p90RelativeError,
    double p99RelativeError,
    double p999RelativeError,
    double latencyW1,
    TemporalFidelity temporal)
    implements Serializable {

  /** Compares two samples of the same arrivals whose latencies carry no base latency. */
  public static Fidelity compare(LinkSample truth, LinkSample emulated) {
    return compare(truth, emulated, 0);
  }

  /**
   * Compares two samples of the same arrivals, {@code baseLatency} added to both sides' latencies.
   */
  public static Fidelity compare(LinkSample truth, LinkSample emulated, double baseLatency) {
    if (truth.length() != emulated.length()) {
      throw new IllegalArgumentException(
          "samples differ in length: " + truth.length() + " and " + emulated.length());
    }
    double[] trueLatency = Latencies.delivered(truth, baseLatency);
    double[] emulatedLatency = Latencies.delivered(emulated, baseLatency);
    LinkFigures t = LinkFigures.of(truth, trueLatency),
        e = LinkFigures.of(emulated, emulatedLatency);
    return new Fidelity(
        t,
        e,
        100 * Math.abs(e.dropRate() - t.dropRate()),
        Math.abs(e.meanBurstPackets() - t.meanBurstPackets()),
        relativeError(t.latencyMean(), e.latencyMean()),
        relativeError(t.latencyP50(), e.latencyP50()),
        relativeError(t.latencyP90(), e.latencyP90()),
        relativeError(t.latencyP99(), e.latencyP99()),
        relativeError(t.latencyP999(), e.latencyP999()),
        Latencies.w1(trueLatency, emulatedLatency),
        TemporalFidelity.compare(truth, emulated, baseLatency));
  }

  static double relativeError(double truth, double emulated) {
    if (truth == emulated) return 0;
    if (truth == 0) return Double.NaN;
    return Math.abs(emulated - truth) / Math.abs(truth);
  }

  /**
   * The errors by their JSON names, in print order (relative errors in percent); a time's name ends
   * in {@code _ms} only for physical units. An error that does not exist (NaN) is null.
   */
  public Map<String, Number> errorsByName(UnitSystem units) {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("drop_error_points", LinkFigures.number(dropRateErrorPoints));
    m.put("mean_burst_error_packets", LinkFigures.number(burstErrorPackets));
    m.put("latency_mean_error_percent", LinkFigures.number(100 * meanRelativeError));
    m.put("latency_p50_error_percent", LinkFigures.number(100 * p50RelativeError));
    m.put("latency_p90_error_percent", LinkFigures.number(100 * p90RelativeError));
    m.put("latency_p99_error_percent", LinkFigures.number(100 * p99RelativeError));
    m.put("latency_p999_error_percent", LinkFigures.number(100 * p999RelativeError));
    m.put(LinkFigures.timeKey("latency_w1", units), LinkFigures.number(latencyW1));
    return m;
  }

  /**
   * Fidelity averaged over traces, each trace weighing alike: every error is the mean of the
   * per-trace errors (not the error of the mean figures), over the traces where it is a number.
   */
  public static Fidelity mean(List<Fidelity> all) {
    return new Fidelity(
        LinkFigures.mean(all.stream().map(Fidelity::truth).toList()),
        LinkFigures.mean(all.stream().map(Fidelity::emulated).toList()),
        LinkFigures.meanOf(all, Fidelity::dropRateErrorPoints),
        LinkFigures.meanOf(all, Fidelity::burstErrorPackets),
        LinkFigures.meanOf(all, Fidelity::meanRelativeError),
        LinkFigures.meanOf(all, Fidelity::p50RelativeError),
        LinkFigures.meanOf(all, Fidelity::p90RelativeError),
        LinkFigures.meanOf(all, Fidelity::p99RelativeError),
        LinkFigures.meanOf(all, Fidelity::p999RelativeError),
        LinkFigures.meanOf(all, Fidelity::latencyW1),
        TemporalFidelity.mean(all.stream().map(Fidelity::temporal).toList()));
  }
}
