package org.lemurnn.measure;

import java.nio.file.Path;
import java.util.Arrays;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.io.LineReader;
import org.lemurnn.link.DeliverySchedule;

/**
 * A link rate that changes at a fixed interval and repeats after its last one: what {@code probe
 * tbf --rate_schedule} plays on the kernel's tbf, one {@code tc qdisc change} per interval.
 *
 * @param name the file it came from
 * @param intervalMs how long each rate holds
 * @param rateMbps the rate of each interval, Mbit/s (every one > 0)
 */
public record RateSchedule(String name, double intervalMs, double[] rateMbps) {
  /**
   * A tbf cannot be told 0: an interval without a delivery opportunity gets this share of the mean
   * rate instead (a frame of 1,500 bytes then takes 120 ms at a 1 Mbit/s mean: the link is all but
   * stopped, as the trace says).
   */
  public static final double FLOOR_OF_MEAN = 0.01;

  private static final int MAX_LINE_CHARS = 256;

  public RateSchedule {
    if (!(intervalMs > 0) || Double.isInfinite(intervalMs))
      throw new IllegalArgumentException("rate interval must be > 0 ms, got " + intervalMs);
    if (rateMbps.length == 0) throw new IllegalArgumentException(name + ": no rates");
    for (double r : rateMbps) {
      if (!(r > 0) || Double.isInfinite(r))
        throw new IllegalArgumentException(name + ": a rate must be > 0 Mbit/s, got " + r);
    }
  }

  public int intervals() {
    return rateMbps.length;
  }

  /** The rate of interval {@code k}, counted over the repeating schedule. */
  public double rateMbps(long k) {
    return rateMbps[(int) Math.floorMod(k, (long) rateMbps.length)];
  }

  public double meanMbps() {
    return Arrays.stream(rateMbps).average().orElseThrow();
  }

  /**
   * The same shape at a mean of {@code meanMbps}: every rate scaled by one factor (a file's name
   * then carries the mean as its C).
   */
  public RateSchedule scaledToMeanMbps(double meanMbps) {
    if (!(meanMbps > 0) || Double.isInfinite(meanMbps))
      throw new IllegalArgumentException("mean rate must be > 0 Mbit/s, got " + meanMbps);
    double factor = meanMbps / meanMbps();
    double[] scaled = Arrays.stream(rateMbps).map(r -> r * factor).toArray();
    return new RateSchedule(name, intervalMs, scaled);
  }

  /**
   * Reads a rate file: a Mahimahi delivery trace (one millisecond timestamp a line, each a 1,500
   * byte opportunity; the rate of an interval is its opportunities' bytes), or lines of
   * {@code time_ms rate_mbps} (a step function: each rate holds from its time until the next
   * line's; '#' starts a comment), sampled at the start of each interval. Intervals without any
   * delivery get {@link #FLOOR_OF_MEAN} of the mean.
   */
  public static RateSchedule read(Path file, double intervalMs) {
    if (!(intervalMs > 0) || Double.isInfinite(intervalMs))
      throw new IllegalArgumentException("--rate_interval_ms must be > 0, got " + intervalMs);
    double[] raw = twoColumns(file) ? steps(file, intervalMs) : opportunities(file, intervalMs);
    double mean = Arrays.stream(raw).average().orElseThrow();
    if (!(mean > 0)) throw InputException.in(file, "every rate is 0: nothing would be delivered");
    double floor = FLOOR_OF_MEAN * mean;
    double[] rates = Arrays.stream(raw).map(r -> Math.max(r, floor)).toArray();
    return new RateSchedule(file.getFileName().toString(), intervalMs, rates);
  }

  private static boolean twoColumns(Path file) {
    try (LineReader in = InputFiles.lines(file, "a rate schedule", MAX_LINE_CHARS)) {
      String line;
      while ((line = in.readLine()) != null) {
        String data = uncommented(line);
        if (!data.isEmpty()) return data.split("\\s+").length == 2;
      }
    }
    throw InputException.in(file, "no rates in the file");
  }

  private static String uncommented(String line) {
    int hash = line.indexOf('#');
    return (hash < 0 ? line : line.substring(0, hash)).strip();
  }

  /** Opportunities per interval of a Mahimahi trace, as Mbit/s. */
  private static double[] opportunities(Path file, double intervalMs) {
    DeliverySchedule schedule = DeliverySchedule.read(file);
    int n = Math.max(1, (int) Math.ceil(schedule.periodMs() / intervalMs));
    double[] rates = new double[n];
    double mbpsPerOpportunity = DeliverySchedule.OPPORTUNITY_KBYTE * 8 / intervalMs;
    for (long t : schedule.opportunityMs()) {
      // an opportunity at the period's very end belongs to the last interval
      rates[Math.min(n - 1, (int) (t / intervalMs))] += mbpsPerOpportunity;
    }
    return rates;
  }

  /** A {@code time_ms rate_mbps} step function sampled at the start of each interval. */
  private static double[] steps(Path file, double intervalMs) {
    double[] time = new double[64], rate = new double[64];
    int n = 0;
    try (LineReader in = InputFiles.lines(file, "a rate schedule", MAX_LINE_CHARS)) {
      String line;
      while ((line = in.readLine()) != null) {
        long lineNo = in.lineNumber();
        String data = uncommented(line);
        if (data.isEmpty()) continue;
        String[] parts = data.split("\\s+");
        double t, r;
        try {
          if (parts.length != 2) throw new NumberFormatException();
          t = Double.parseDouble(parts[0]);
          r = Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
          throw InputException.at(
              file, lineNo, "expected 'time_ms rate_mbps', got " + InputFiles.quote(line));
        }
        if (!(t >= 0) || Double.isInfinite(t))
          throw InputException.at(file, lineNo, "time must be >= 0 ms, got " + parts[0]);
        if (n > 0 && t <= time[n - 1])
          throw InputException.at(
              file, lineNo, "time " + parts[0] + " does not come after " + time[n - 1]);
        if (n == 0 && t != 0) throw InputException.at(file, lineNo, "the first time must be 0 ms");
        if (!(r >= 0) || Double.isInfinite(r))
          throw InputException.at(file, lineNo, "rate must be >= 0 Mbit/s, got " + parts[1]);
        if (n == time.length) {
          time = Arrays.copyOf(time, 2 * n);
          rate = Arrays.copyOf(rate, 2 * n);
        }
        time[n] = t;
        rate[n++] = r;
      }
    }
    // the last rate holds for one interval, then the schedule repeats
    int intervals = (int) Math.floor(time[n - 1] / intervalMs) + 1;
    double[] sampled = new double[intervals];
    int j = 0;
    for (int k = 0; k < intervals; k++) {
      double at = k * intervalMs;
      while (j + 1 < n && time[j + 1] <= at) j++;
      sampled[k] = rate[j];
    }
    return sampled;
  }
}
