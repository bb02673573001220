package org.lemurnn.link;

/**
 * The seed's drop-tail FIFO limited in bytes, and with an infinite limit the infinite queue. The
 * first packet is never dropped (backlog_0 = size_0); later: backlog = max(0, backlog - gap x C),
 * drop when backlog + size > Q, else backlog += size.
 */
public final class ByteQueue implements LinkQueue {
  private final UnitSystem units;
  private final double capacity;
  private final double queueLimit;
  private double backlog;
  private boolean started;

  /** A queue of {@code queueLimit} size units; {@code Double.POSITIVE_INFINITY} for no limit. */
  public ByteQueue(UnitSystem units, double capacity, double queueLimit) {
    if (!(capacity > 0)) throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    this.units = units;
    this.capacity = capacity;
    this.queueLimit = queueLimit;
  }

  @Override
  public boolean arrive(double gap, double size) {
    if (!started) {
      started = true;
      backlog = size;
      return false;
    }
    backlog = Math.max(0, backlog - units.sendableInGap(gap, capacity));
    if (backlog + size > queueLimit) return true;
    backlog += size;
    return false;
  }

  @Override
  public double backlog() {
    return backlog;
  }

  @Override
  public double latency() {
    return units.latencyOf(backlog, capacity);
  }

  @Override
  public double capacity() {
    return capacity;
  }

  @Override
  public double queueFeature() {
    return Double.isInfinite(queueLimit) ? 0 : queueLimit;
  }
}
