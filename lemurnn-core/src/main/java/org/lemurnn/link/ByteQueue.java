package org.lemurnn.link;

/**
 * The original's drop-tail FIFO limited in bytes, and with an infinite limit the infinite queue.
 * The first packet is never dropped (backlog_0 = size_0); later: backlog = max(0, backlog - gap x
 * C), drop when backlog + size > Q, else backlog += size.
 */
public final class ByteQueue extends ConstantRateQueue {
  private final double limit; // size units, infinite for none
  private boolean started;

  /** A queue of {@code queueLimit} size units; {@code Double.POSITIVE_INFINITY} for no limit. */
  public ByteQueue(UnitSystem units, double capacity, double queueLimit) {
    super(units, capacity);
    this.limit = queueLimit;
  }

  @Override
  public boolean arrive(double gap, double size) {
    if (!started) {
      started = true;
      backlog = size;
      return false;
    }
    backlog = Math.max(0, backlog - sendable(gap));
    if (backlog + size > limit) return true;
    backlog += size;
    return false;
  }

  /** Empty again, as before the first packet. */
  public void restart() {
    started = false;
    backlog = 0;
  }

  @Override
  public double queueLimit() {
    return Double.isInfinite(limit) ? 0 : limit;
  }
}
