package org.lemurnn.measure;

import java.util.Locale;
import org.lemurnn.trace.TraceRows;

/**
 * The line a user reads about one measured trace: packets, drops, latency mean and p99. Built row
 * by row, so a trace too long to hold (a capture's) gets one too: the p99 comes from a histogram of
 * 0.1%-wide logarithmic buckets.
 */
public record TraceSummary(long packets, long drops, double meanLatencyMs, double p99LatencyMs) {
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d packets, %d dropped (%.1f%%), latency mean %.3f ms, p99 %.3f ms",
        packets,
        drops,
        packets == 0 ? 0 : 100.0 * drops / packets,
        meanLatencyMs,
        p99LatencyMs);
  }

  /** Collects rows. */
  public static final class Builder {
    private static final double BUCKETS_PER_E = 1000;
    // up to e^30 ns (about 3 h): any latency a trace can hold
    private final long[] histogram = new long[(int) (30 * BUCKETS_PER_E) + 1];
    private long packets, drops;
    private double sumNs;

    public void add(long latencyNs, boolean dropped) {
      packets++;
      if (dropped) {
        drops++;
        return;
      }
      sumNs += latencyNs;
      histogram[Math.min(histogram.length - 1, (int) (Math.log1p(latencyNs) * BUCKETS_PER_E))]++;
    }

    public TraceSummary build() {
      long kept = packets - drops;
      if (kept == 0) return new TraceSummary(packets, drops, 0, 0);
      long rank = (long) Math.ceil(0.99 * kept), seen = 0;
      int b = 0;
      while ((seen += histogram[b]) < rank) b++;
      return new TraceSummary(
          packets, drops, sumNs / kept / 1e6, Math.expm1((b + 0.5) / BUCKETS_PER_E) / 1e6);
    }
  }

  public static TraceSummary of(TraceRows rows) {
    Builder b = new Builder();
    for (int i = 0; i < rows.length(); i++) b.add(rows.latencyNs()[i], rows.dropped()[i]);
    return b.build();
  }
}
