package org.lemurnn.emulate;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What the live link did since the last look, per direction: the forwarder's per-second lines
 * ({@code forward}, {@code shell}). Counts are differences of the directions' running totals, so
 * the intervals add up to the totals exactly when the last is taken after the forwarder stopped;
 * the delay and release-error percentiles are of the interval's packets alone. One thread takes the
 * intervals; the packets' threads never wait for it and allocate nothing for it.
 */
public final class LiveStats {
  /**
   * One direction over one interval.
   *
   * @param startSeconds when the interval began, seconds since the first look
   * @param seconds its length
   * @param packets packets that arrived
   * @param drops of those, dropped by the emulated link (the model's and physics' drops)
   * @param physicsDrops of the drops, those physics made (the queue limit)
   * @param overflowDrops packets the emulator could not hold or send (its ring full, the port)
   * @param sent packets sent
   * @param sentBytes their bytes, as the link counts them
   * @param physicsDelayed packets physics sent later than the model said
   * @param physicsHastened packets physics sent earlier than the model said (a work-conserving
   *     link)
   * @param modelIdleMs how long the link sat idle with packets queued because the model held them
   *     past when it could send them
   * @param txLostMs the link's time TX lost by releasing late beyond its slack
   * @param delayP50Ms arrival to send, median (NaN: nothing sent)
   * @param releaseErrorP99Us actual minus scheduled send time, 99th percentile
   * @param releaseErrorMaxUs and its maximum (the upper end of its histogram bucket, within 0.1%)
   */
  public record Interval(
      String direction,
      double startSeconds,
      double seconds,
      long packets,
      long drops,
      long physicsDrops,
      long overflowDrops,
      long sent,
      long sentBytes,
      long physicsDelayed,
      long physicsHastened,
      double modelIdleMs,
      double txLostMs,
      double delayP50Ms,
      double delayP99Ms,
      double releaseErrorP99Us,
      double releaseErrorMaxUs) {
    /** Bytes sent per second, in Mbit/s. */
    public double throughputMbps() {
      return seconds > 0 ? sentBytes * 8 / seconds / 1e6 : Double.NaN;
    }
  }

  private final List<Direction> directions;
  private final long[][] previous; // per direction, the counts at the last look
  private final Histogram[] delays, releaseErrors; // recycled by the recorders
  private final long startNs;
  private long lastNs;

  /** Starts the first interval now. */
  public LiveStats(List<Direction> directions) {
    this.directions = List.copyOf(directions);
    this.previous = new long[directions.size()][10];
    this.delays = new Histogram[directions.size()];
    this.releaseErrors = new Histogram[directions.size()];
    this.startNs = System.nanoTime();
    this.lastNs = startNs;
  }

  /**
   * How long reading the counts may take for their time to be the interval's end: a reader kept off
   * its core between reading the clock and the counts would count in one interval what the link
   * sent after it ended (a line above the rate), so the reading is taken again.
   */
  private static final long READ_WITHIN_NS = 1_000_000;

  /** Each direction's interval from the last look to now; the next starts now. */
  public List<Interval> next() {
    long[][] counts = new long[directions.size()][];
    long now;
    long start;
    do {
      start = System.nanoTime();
      for (int d = 0; d < directions.size(); d++)
        counts[d] = counts(directions.get(d).stats());
      now = System.nanoTime();
    } while (now - start > READ_WITHIN_NS);
    List<Interval> out = new ArrayList<>(directions.size());
    for (int d = 0; d < directions.size(); d++) {
      DirectionStats s = directions.get(d).stats();
      long[] before = previous[d];
      delays[d] = s.delayInterval.getIntervalHistogram(delays[d]);
      releaseErrors[d] = s.releaseErrorInterval.getIntervalHistogram(releaseErrors[d]);
      out.add(new Interval(
          directions.get(d).name(),
          (lastNs - startNs) / 1e9,
          (now - lastNs) / 1e9,
          counts[d][0] - before[0],
          counts[d][1] - before[1],
          counts[d][2] - before[2],
          counts[d][3] - before[3],
          counts[d][4] - before[4],
          counts[d][5] - before[5],
          counts[d][6] - before[6],
          counts[d][9] - before[9],
          (counts[d][7] - before[7]) / 1e6,
          (counts[d][8] - before[8]) / 1e6,
          percentile(delays[d], 50) / 1e6,
          percentile(delays[d], 99) / 1e6,
          percentile(releaseErrors[d], 99) / 1e3,
          percentile(releaseErrors[d], 100) / 1e3));
      System.arraycopy(counts[d], 0, before, 0, counts[d].length);
    }
    lastNs = now;
    return out;
  }

  private static long[] counts(DirectionStats s) {
    return new long[] {
      (long) DirectionStats.PACKETS.getOpaque(s),
      (long) DirectionStats.MODEL_DROPS.getOpaque(s),
      (long) DirectionStats.PHYSICS_DROPPED.getOpaque(s),
      (long) DirectionStats.OVERFLOW_DROPS.getOpaque(s)
          + (long) DirectionStats.SEND_FAILURES.getOpaque(s),
      (long) DirectionStats.SENT.getOpaque(s),
      (long) DirectionStats.SENT_BYTES.getOpaque(s),
      (long) DirectionStats.PHYSICS_DELAYED.getOpaque(s),
      (long) DirectionStats.MODEL_IDLE_NS.getOpaque(s),
      (long) DirectionStats.TX_LOST_NS.getOpaque(s),
      (long) DirectionStats.PHYSICS_HASTENED.getOpaque(s)
    };
  }

  private static double percentile(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
  }
}
