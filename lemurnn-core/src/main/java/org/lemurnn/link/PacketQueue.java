package org.lemurnn.link;

/**
 * The original's drop-tail FIFO limited in packets: the link serves the head packet byte by byte, a
 * packet departs when the bytes served since it reached the head cover its size, and an arriving
 * packet is dropped when the queued packets + 1 would exceed the limit. The first packet is never
 * dropped, as in the byte queue.
 */
public final class PacketQueue extends ConstantRateQueue {
  private final double limitPackets;
  // ring buffer of queued packet sizes: no allocation per packet once it has grown
  private double[] sizes = new double[16];
  private int head;
  private int count;
  private double headServed;
  private boolean started;

  public PacketQueue(UnitSystem units, double capacity, double limitPackets) {
    super(units, capacity);
    this.limitPackets = limitPackets;
  }

  @Override
  public boolean arrive(double gap, double size) {
    if (started) {
      serve(sendable(gap));
      if (count + 1 > limitPackets) return true;
    }
    started = true;
    push(size);
    return false;
  }

  private void serve(double budget) {
    while (count > 0 && budget > 0) {
      double need = sizes[head] - headServed;
      if (budget >= need) {
        budget -= need;
        backlog -= need;
        headServed = 0;
        head = (head + 1) & (sizes.length - 1);
        count--;
      } else {
        headServed += budget;
        backlog -= budget;
        budget = 0;
      }
    }
    // the running sum drifts by rounding; an empty queue has no backlog
    if (count == 0 || backlog < 0) backlog = 0;
  }

  private void push(double size) {
    if (count == sizes.length) {
      double[] grown = new double[sizes.length * 2];
      for (int i = 0; i < count; i++) grown[i] = sizes[(head + i) & (sizes.length - 1)];
      sizes = grown;
      head = 0;
    }
    sizes[(head + count) & (sizes.length - 1)] = size;
    count++;
    backlog += size;
  }

  /** Empty again, as before the first packet. */
  public void restart() {
    head = 0;
    count = 0;
    headServed = 0;
    backlog = 0;
    started = false;
  }

  /** Packets waiting or in service after the last arrival. */
  public int queuedPackets() {
    return count;
  }

  @Override
  public double queueLimit() {
    return Double.isInfinite(limitPackets) ? 0 : limitPackets;
  }
}
