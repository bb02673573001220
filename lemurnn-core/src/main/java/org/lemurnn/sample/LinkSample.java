package org.lemurnn.sample;

import java.util.Arrays;
import java.util.Objects;
import org.lemurnn.link.UnitSystem;

/**
 * One link (parameters drawn once) carrying a sequence of packets, with what the link did to each.
 * Every quantity is in the sample's {@link UnitSystem}: for {@code PHYSICAL}, times in ms, sizes,
 * queue and backlog in KByte, capacity in Mbit/s; for {@code ABSTRACT}, the original's size and
 * time units with capacity in size units per time unit.
 *
 * @param link the link simulator that made it ({@code bytequeue}, {@code packetqueue},
 *     {@code codel}, ...) or {@code trace} for a measured file
 * @param traffic the traffic generator's name, or {@code trace}
 * @param capacity feature c: the link's capacity
 * @param queueLimit feature q: the queue limit in size units (in packets for a packet queue); 0
 *     when infinite
 * @param interPacketTime gap before each packet (the first: since time 0)
 * @param size each packet's size
 * @param backlog queue backlog right after each packet arrived (a dropped packet leaves it
 *     unchanged)
 * @param latency each packet's queueing latency, backlog drained at capacity
 * @param dropped whether each packet was dropped
 */
public record LinkSample(
    UnitSystem units,
    String link,
    String traffic,
    double capacity,
    double queueLimit,
    double[] interPacketTime,
    double[] size,
    double[] backlog,
    double[] latency,
    boolean[] dropped) {

  public LinkSample {
    Objects.requireNonNull(units);
    int n = interPacketTime.length;
    if (size.length != n || backlog.length != n || latency.length != n || dropped.length != n) {
      throw new IllegalArgumentException("per-packet arrays differ in length");
    }
  }

  public int length() {
    return interPacketTime.length;
  }

  public int dropCount() {
    int count = 0;
    for (boolean d : dropped) if (d) count++;
    return count;
  }

  /** Each packet's arrival time: the running sum of the gaps. */
  public double[] arrivalTime() {
    double[] t = new double[length()];
    double now = 0;
    for (int i = 0; i < t.length; i++) t[i] = now += interPacketTime[i];
    return t;
  }

  /** The first {@code n} packets. */
  public LinkSample prefix(int n) {
    if (n > length()) throw new IllegalArgumentException("prefix " + n + " > length " + length());
    return window(0, n);
  }

  /**
   * Packets {@code from .. from + n}. A window that does not start at 0 keeps its first gap (the
   * time since the packet before it), as a model stepping through the stream sees it.
   */
  public LinkSample window(int from, int n) {
    if (from < 0 || n < 0 || from + n > length()) {
      throw new IllegalArgumentException(
          "window " + from + " + " + n + " outside length " + length());
    }
    int to = from + n;
    return new LinkSample(
        units,
        link,
        traffic,
        capacity,
        queueLimit,
        Arrays.copyOfRange(interPacketTime, from, to),
        Arrays.copyOfRange(size, from, to),
        Arrays.copyOfRange(backlog, from, to),
        Arrays.copyOfRange(latency, from, to),
        Arrays.copyOfRange(dropped, from, to));
  }
}
