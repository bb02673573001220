package org.lemurnn.link;

/**
 * What the original's links share: a FIFO drained at a constant capacity, whose backlog after each
 * arrival drains at that capacity into the packet's latency.
 */
public abstract sealed class ConstantRateQueue implements LinkQueue
    permits ByteQueue, PacketQueue, SimplifiedCodel {
  final UnitSystem units;
  final double capacity;
  double backlog;

  ConstantRateQueue(UnitSystem units, double capacity) {
    if (!(capacity > 0) || Double.isInfinite(capacity)) {
      throw new IllegalArgumentException("capacity must be > 0 and finite: " + capacity);
    }
    this.units = units;
    this.capacity = capacity;
  }

  /** What the link sends in a gap, in size units. */
  final double sendable(double gap) {
    return units.sendableInGap(gap, capacity);
  }

  @Override
  public final double backlog() {
    return backlog;
  }

  @Override
  public final double latency() {
    return units.latencyOf(backlog, capacity);
  }

  @Override
  public final double capacity() {
    return capacity;
  }
}
