package org.lemurnn.prior;

import java.util.Arrays;

/**
 * The rate a trace's link served at in each window of time, as a multiple of a capacity: the bytes
 * of back-to-back packets departing in the window over the time between their departures (as
 * {@link org.lemurnn.prior.LinkFit} fits the whole trace's rate). NaN for a window with fewer than
 * {@value #MIN_PAIRS} such packets, or whose packets span less than {@value #MIN_BUSY_SHARE} of it:
 * an idle link does not show its rate.
 */
public final class WindowRates {
  /** Back-to-back packets a window needs to show its rate. */
  public static final int MIN_PAIRS = 3;
  /**
   * Share of the window those packets must span: a link that hands out packets in bursts (a
   * cellular link's delivery opportunities, several in one millisecond) shows no rate in less.
   */
  public static final double MIN_BUSY_SHARE = 0.05;

  private WindowRates() {}

  /**
   * Per window of {@code windowMs} from time 0 (the arrivals are the running sum of the gaps), in
   * physical units (ms, KByte, Mbit/s).
   */
  public static double[] of(
      double[] gap,
      double[] size,
      double[] latency,
      boolean[] dropped,
      double windowMs,
      double capacity) {
    int n = gap.length;
    double[] arrival = new double[n];
    double t = 0;
    for (int i = 0; i < n; i++) arrival[i] = t += gap[i];
    int windows = Math.max(1, (int) Math.ceil((t + 1e-9) / windowMs));
    double[] kbyte = new double[windows], ms = new double[windows];
    int[] pairs = new int[windows];
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (dropped[i]) continue;
      if (last >= 0) {
        double previousDeparture = arrival[last] + latency[last];
        if (arrival[i] < previousDeparture) {
          double departure = arrival[i] + latency[i];
          int w = (int) Math.min(windows - 1, Math.floor(departure / windowMs));
          kbyte[w] += size[i];
          ms[w] += Math.max(0, departure - previousDeparture);
          pairs[w]++;
        }
      }
      last = i;
    }
    double[] rate = new double[windows];
    Arrays.fill(rate, Double.NaN);
    for (int w = 0; w < windows; w++)
      if (pairs[w] >= MIN_PAIRS && ms[w] >= MIN_BUSY_SHARE * windowMs)
        rate[w] = kbyte[w] * 8 / ms[w] / capacity;
    return rate;
  }
}
