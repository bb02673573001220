package org.lemurnn.link;

/**
 * The original's simplified CoDel, kept for compatibility (a faithful RFC 8289 CoDel would be
 * another kind): an unlimited FIFO drained at capacity like the byte queue, observed in intervals.
 * At the first arrival at or after an interval's end, if the smallest latency of the packets
 * accepted in that interval exceeded the threshold, this packet is dropped and the next interval
 * shortens to base / sqrt(drop count); otherwise the count resets and the next interval is the
 * base. There is no tail drop. Base interval 10 and threshold 5, in the link's time unit.
 */
public final class SimplifiedCodel extends ConstantRateQueue {
  public static final double BASE_INTERVAL = 10;
  public static final double THRESHOLD = 5;

  private final double queueLimit;
  private double now;
  private double intervalEnd = BASE_INTERVAL;
  private double minLatency = Double.POSITIVE_INFINITY;
  private int dropCount;

  /**
   * {@code queueLimit} is only reported as feature q (the original still fed the drawn queue): this
   * queue has no limit of its own.
   */
  public SimplifiedCodel(UnitSystem units, double capacity, double queueLimit) {
    super(units, capacity);
    this.queueLimit = queueLimit;
  }

  @Override
  public boolean arrive(double gap, double size) {
    now += gap;
    // before the first packet the queue is empty, so draining it is a no-op
    backlog = Math.max(0, backlog - sendable(gap));
    boolean drop = false;
    if (now >= intervalEnd) {
      double interval;
      if (minLatency > THRESHOLD && minLatency != Double.POSITIVE_INFINITY) {
        drop = true;
        dropCount++;
        interval = BASE_INTERVAL / Math.sqrt(dropCount);
      } else {
        dropCount = 0;
        interval = BASE_INTERVAL;
      }
      intervalEnd = now + interval;
      minLatency = Double.POSITIVE_INFINITY;
    }
    if (drop) return true;
    backlog += size;
    minLatency = Math.min(minLatency, latency());
    return false;
  }

  @Override
  public double queueLimit() {
    return queueLimit;
  }
}
