package org.lemurnn.link;

/**
 * The packets a FIFO link accepted and has not sent yet, oldest first, as whole packets: each one's
 * departure time and size, and the sum of the sizes (what the link holds, as the kernel's tbf
 * counts its queue until a packet leaves whole). Grows by doubling only until it holds the most
 * packets the link's limits let it hold; allocation-free after. Not thread safe.
 */
public final class DepartureRing {
  private double[] departures = new double[16];
  private double[] sizes = new double[16];
  private int head;
  private int count;
  private double held; // the sizes' sum

  /** Empty. */
  public void clear() {
    head = 0;
    count = 0;
    held = 0;
  }

  /** Forgets the packets that departed by {@code now}. */
  public void departBy(double now) {
    while (count > 0 && departures[head] <= now) {
      held -= sizes[head];
      head = (head + 1) & (departures.length - 1);
      count--;
    }
    if (count == 0) held = 0; // the running sum drifts by rounding
  }

  /** A packet of {@code size} that departs at {@code departure}, after every other. */
  public void push(double departure, double size) {
    if (count == departures.length) {
      double[] d = new double[count * 2], s = new double[count * 2];
      for (int i = 0; i < count; i++) {
        d[i] = departures[(head + i) & (count - 1)];
        s[i] = sizes[(head + i) & (count - 1)];
      }
      departures = d;
      sizes = s;
      head = 0;
    }
    int tail = (head + count) & (departures.length - 1);
    departures[tail] = departure;
    sizes[tail] = size;
    held += size;
    count++;
  }

  /** Packets held. */
  public int count() {
    return count;
  }

  /** Their sizes' sum. */
  public double held() {
    return held;
  }

  /** The oldest one's size (the ring not empty). */
  public double headSize() {
    return sizes[head];
  }

  /** The newest one's departure (the ring not empty). */
  public double tailDeparture() {
    return departures[(head + count - 1) & (departures.length - 1)];
  }

  /** Every departure {@code by} later (the time origin moved). */
  public void shift(double by) {
    for (int i = 0; i < count; i++) departures[(head + i) & (departures.length - 1)] += by;
  }

  /** The oldest one's departure (the ring not empty). */
  public double headDeparture() {
    return departures[head];
  }
}
