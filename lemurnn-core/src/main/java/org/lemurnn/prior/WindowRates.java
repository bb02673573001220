package org.lemurnn.prior;

import java.util.Arrays;

/**
 * The rate a trace's link served at in each window of time, as a multiple of a capacity: the bytes
 * of back-to-back packets over the time between their departures (as {@link LinkFit} fits the whole
 * trace's rate), each packet's bytes spread over the windows from the departure before it to its
 * own (a deep fade holds a packet for several windows: each of them shows the fade). NaN for a
 * window whose busy time is less than {@value #MIN_BUSY_SHARE} of it, or which is busy less than
 * half of it with fewer than {@value #MIN_PAIRS} packets departing: an idle link does not show its
 * rate.
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
          pairs[w]++;
          // the packet took from the previous departure to its own: a fade that holds one packet
          // for several windows shows in each of them, at the rate it served at
          double from = previousDeparture, span = departure - previousDeparture;
          if (!(span > 0)) {
            kbyte[w] += size[i];
            continue;
          }
          for (int v = (int) Math.min(windows - 1, Math.floor(from / windowMs)); v <= w; v++) {
            double overlap = Math.min(departure, v == w ? departure : (v + 1) * windowMs)
                - Math.max(from, v * windowMs);
            if (overlap <= 0) continue;
            ms[v] += overlap;
            kbyte[v] += size[i] * overlap / span;
          }
        }
      }
      last = i;
    }
    double[] rate = new double[windows];
    Arrays.fill(rate, Double.NaN);
    for (int w = 0; w < windows; w++)
      if (ms[w] >= MIN_BUSY_SHARE * windowMs && (pairs[w] >= MIN_PAIRS || ms[w] >= windowMs / 2))
        rate[w] = kbyte[w] * 8 / ms[w] / capacity;
    return rate;
  }
}
