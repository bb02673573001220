package org.lemurnn.prior;

import java.util.Arrays;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;

/**
 * The physical link one measured trace shows, fitted to its rows instead of read from its name (a
 * name is a hint, and a wrong one must not poison the model): the rate the link serves at while it
 * is busy, and the queue limit, in bytes and in packets, that best explains which packets it
 * dropped.
 *
 * <p>How, for a FIFO link (docs/architecture.md, Links): a packet's departure is its arrival plus
 * its latency. A packet that arrives while the one delivered before it is still in the link leaves
 * right after it, one serialization later, so the bytes of such back-to-back packets over the time
 * between their departures is the service rate (a ratio of sums: robust to the receiver's timestamp
 * jitter). At each arrival the link holds the work left of the packets delivered before it (the
 * last departure minus now, at that rate) and the packets not yet departed; a byte-limited queue
 * drops exactly when work + size exceeds its limit, a packet-limited one when packets + 1 does. The
 * limit of each kind is the threshold that misclassifies the fewest packets; the kind with fewer
 * misclassified packets is the one the link has. A constant delay of the stack (a few tens of
 * microseconds on a kernel link) is fitted first and taken off, so it is not counted as queue.
 *
 * @param capacityMbps the service rate while busy; NaN when the trace has too few back-to-back
 *     packets ({@value #MIN_BUSY_PAIRS}) to tell
 * @param peakCapacityMbps the fastest rate sustained over {@value #PEAK_RUN} back-to-back packets
 *     (95th percentile): a varying link's peak
 * @param stackDelayMs the constant delay beyond queueing and serialization
 * @param busyPairs back-to-back packet pairs the rate was fitted on
 * @param drops dropped packets (after the first)
 * @param queueKbyte the byte limit that explains the drops best; NaN without drops
 * @param byteErrors packets that limit misclassifies
 * @param queuePackets the packet limit that explains the drops best; NaN without drops
 * @param packetErrors packets that limit misclassifies
 * @param maxBacklogKbyte the most work seen in the link at an accepted arrival, its size included
 * @param maxPackets the most packets seen in the link at an accepted arrival, it included
 */
public record LinkFit(
    double capacityMbps,
    double peakCapacityMbps,
    double stackDelayMs,
    int busyPairs,
    int drops,
    double queueKbyte,
    int byteErrors,
    double queuePackets,
    int packetErrors,
    double maxBacklogKbyte,
    int maxPackets) {
  /** Fewer back-to-back pairs than this leave the rate unknown. */
  public static final int MIN_BUSY_PAIRS = 20;
  /** Back-to-back packets over which a peak rate is measured. */
  public static final int PEAK_RUN = 8;
  /** The shortest run a peak rate is measured over. */
  public static final double PEAK_MIN_MS = 1;

  /** Whether the trace held enough back-to-back packets to fit the rate. */
  public boolean knowsCapacity() {
    return !Double.isNaN(capacityMbps);
  }

  /** Whether the trace dropped anything, so that its queue limit shows. */
  public boolean knowsQueue() {
    return !Double.isNaN(queueKbyte);
  }

  /** Fits a physical trace (a measured file as {@link TraceFile#toSample} makes it). */
  public static LinkFit of(LinkSample trace) {
    if (trace.units() != UnitSystem.PHYSICAL) {
      throw new IllegalArgumentException("fits physical traces; this is " + trace.units());
    }
    double[] arrival = trace.arrivalTime();
    double[] size = trace.size();
    double[] latency = trace.latency();
    boolean[] dropped = trace.dropped();
    int n = trace.length();

    // the rate, then the stack's delay (which needs the rate), then the rate again without it
    Rate first = Rate.of(arrival, size, latency, dropped, 0);
    double delay = 0;
    if (!Double.isNaN(first.capacityMbps)) {
      delay = Double.POSITIVE_INFINITY;
      for (int i = 0; i < n; i++)
        if (!dropped[i]) delay = Math.min(delay, latency[i] - size[i] * 8 / first.capacityMbps);
      delay = Math.max(0, delay);
    }
    Rate fitted = delay > 0 ? Rate.of(arrival, size, latency, dropped, delay) : first;
    double capacity = fitted.capacityMbps;

    // the queue: work and packets in the link at each arrival, against the fate of the packet
    double rate = Double.isNaN(capacity) ? trace.capacity() : capacity;
    double[] work = new double[n], held = new double[n];
    int[] packets = new int[n];
    int[] departedOrder = new int[n]; // accepted packets, in order: FIFO departures are sorted too
    int accepted = 0, head = 0, drops = 0;
    double maxWork = 0, heldKbyte = 0;
    int maxPackets = 0;
    for (int i = 0; i < n; i++) {
      while (head < accepted) {
        int a = departedOrder[head];
        if (arrival[a] + latency[a] - delay > arrival[i]) break;
        heldKbyte -= size[a];
        head++;
      }
      if (head == accepted) heldKbyte = 0; // the running sum drifts by rounding
      double lastDeparture = accepted > 0
          ? arrival[departedOrder[accepted - 1]] + latency[departedOrder[accepted - 1]] - delay
          : arrival[i];
      work[i] = Math.max(0, lastDeparture - arrival[i]) * rate / 8 + size[i];
      held[i] = heldKbyte + size[i];
      packets[i] = accepted - head + 1;
      if (i > 0 && dropped[i]) drops++;
      if (!dropped[i]) {
        departedOrder[accepted++] = i;
        heldKbyte += size[i];
        maxWork = Math.max(maxWork, work[i]);
        maxPackets = Math.max(maxPackets, packets[i]);
      }
    }
    double[] byteFit = threshold(work, dropped, drops);
    // the bytes of the packets not yet departed: the same as the work at a constant rate, and
    // what a byte limit counts whatever the rate does meanwhile (a varying link's work at its mean
    // rate is no measure of its queue); the one that explains the drops better is the link's
    double[] heldFit = threshold(held, dropped, drops);
    if (heldFit[1] < byteFit[1]) byteFit = heldFit;
    double[] packetFit =
        threshold(Arrays.stream(packets).asDoubleStream().toArray(), dropped, drops);
    return new LinkFit(
        capacity,
        fitted.peakMbps,
        delay,
        fitted.pairs,
        drops,
        byteFit[0],
        (int) byteFit[1],
        packetFit[0] == packetFit[0] ? Math.floor(packetFit[0]) : Double.NaN,
        (int) packetFit[1],
        maxWork,
        maxPackets);
  }

  /** The service rate of back-to-back packets. */
  private record Rate(double capacityMbps, double peakMbps, int pairs) {
    static Rate of(
        double[] arrival, double[] size, double[] latency, boolean[] dropped, double delay) {
      int n = arrival.length;
      double kbyte = 0, ms = 0;
      int pairs = 0;
      double[] pairKbyte = new double[n], pairMs = new double[n];
      int last = -1;
      for (int i = 0; i < n; i++) {
        if (dropped[i]) continue;
        if (last >= 0) {
          double previousDeparture = arrival[last] + latency[last];
          // arrived before the previous packet left the queue (the stack's delay is not queue)
          if (arrival[i] < previousDeparture - delay) {
            double gap = Math.max(0, arrival[i] + latency[i] - previousDeparture);
            pairKbyte[pairs] = size[i];
            pairMs[pairs] = gap;
            kbyte += size[i];
            ms += gap;
            pairs++;
          }
        }
        last = i;
      }
      if (pairs < MIN_BUSY_PAIRS || !(ms > 0)) return new Rate(Double.NaN, Double.NaN, pairs);
      double capacity = kbyte * 8 / ms;
      // runs of PEAK_RUN pairs that span at least PEAK_MIN_MS (a burst within a clock tick has no
      // rate)
      double[] runs = new double[pairs - PEAK_RUN + 1];
      int counted = 0;
      for (int r = 0; r < runs.length; r++) {
        double k = 0, t = 0;
        for (int j = r; j < r + PEAK_RUN; j++) {
          k += pairKbyte[j];
          t += pairMs[j];
        }
        if (t >= PEAK_MIN_MS) runs[counted++] = k * 8 / t;
      }
      Arrays.sort(runs, 0, counted);
      double peak = counted == 0
          ? capacity
          : Math.max(capacity, runs[(int) Math.floor(0.95 * (counted - 1))]);
      return new Rate(capacity, peak, pairs);
    }
  }

  /**
   * The limit L that best separates accepted packets (value &lt;= L) from dropped ones (value &gt;
   * L), as {limit, misclassified}: half way between the accepted value it sits on and the next
   * larger value. The first packet, never dropped, is left out. {NaN, 0} without drops.
   */
  private static double[] threshold(double[] value, boolean[] dropped, int drops) {
    if (drops == 0) return new double[] {Double.NaN, 0};
    int n = value.length - 1;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i + 1;
    Arrays.sort(order, (a, b) -> Double.compare(value[a], value[b]));
    // limit below everything: every accepted packet is misclassified
    int acceptedAbove = n - drops, droppedBelow = 0;
    int best = acceptedAbove;
    double limit = value[order[0]] / 2;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (dropped[i]) droppedBelow++;
      else acceptedAbove--;
      // only between distinct values: a limit cannot split equal ones
      if (k + 1 < n && value[order[k + 1]] == value[i]) continue;
      int errors = acceptedAbove + droppedBelow;
      if (errors < best) {
        best = errors;
        limit = k + 1 < n ? (value[i] + value[order[k + 1]]) / 2 : value[i];
      }
    }
    return new double[] {limit, best};
  }
}
