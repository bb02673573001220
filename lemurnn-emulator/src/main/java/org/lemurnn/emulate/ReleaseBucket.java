package org.lemurnn.emulate;

import org.lemurnn.measure.ProbeDatagram;

/**
 * Physics for what TX actually does: the link's token bucket run on the times TX hands packets to
 * the port, so that a release that comes late (TX kept off its core, a stall of the machine) never
 * lets the packets behind it out faster than the link's rate. The schedule RX computes
 * ({@link org.lemurnn.infer.LinkPrediction}) obeys the same rate and bucket; TX on time follows it
 * and this bucket never holds a packet back. A late packet may not leave before the bucket,
 * refilled at the rate since the previous packet was handed over, holds its bytes: so the bytes
 * handed over in any window of {@code W} ns are at most the link's bucket (its burst, or the packet
 * when larger) plus {@link #SLACK_BYTES} plus the rate times {@code W}. Late by more than the slack
 * lets it catch up, TX loses the time, as a real link's shaper does. TX's thread only;
 * allocation-free.
 */
final class ReleaseBucket {
  /**
   * How far behind its schedule TX may catch up at once, beyond the link's own bucket: one
   * full-size Ethernet frame, so that the ordinary lateness of a release (tens of us, a ms or two
   * under load) does not make every packet behind it late for good while the queue is full; tbf's
   * bucket of 1,600 bytes leaves no more than 86 bytes of slack behind a full frame.
   */
  static final double SLACK_BYTES = ProbeDatagram.MAX_FRAME_BYTES;

  private final double nsPerByte; // 0: no rate, nothing held
  private final double burstBytes;
  private final double overheadBytes;
  private boolean started;
  private long lastNs;
  private double tokens; // right after the last packet was handed over

  /**
   * @param rateMbps the link's rate ({@code Double.POSITIVE_INFINITY}: none)
   * @param burstBytes the link's bucket (0: every packet serializes)
   * @param overheadBytes what each packet occupies beyond its wire bytes, as the model counts it
   */
  ReleaseBucket(double rateMbps, double burstBytes, double overheadBytes) {
    this.nsPerByte = Double.isInfinite(rateMbps) ? 0 : 8e3 / rateMbps;
    this.burstBytes = burstBytes;
    this.overheadBytes = overheadBytes;
  }

  /**
   * The earliest a packet of {@code wireBytes} may be handed to the port: when the bucket holds its
   * bytes ({@link Long#MIN_VALUE}: at once).
   */
  long earliestNs(int wireBytes) {
    if (nsPerByte == 0 || !started) return Long.MIN_VALUE;
    double missing = wireBytes + overheadBytes - tokens;
    if (missing <= 0) return Long.MIN_VALUE;
    return lastNs + (long) Math.ceil(missing * nsPerByte);
  }

  /**
   * The packet of {@code wireBytes}, due at {@code dueNs}, was handed to the port at {@code atNs}.
   *
   * @return how long the bucket sat full while the packet was due and not handed over, in ns: the
   *     link's time TX lost by releasing late beyond the slack, if packets waited behind it
   */
  long handedOver(long atNs, int wireBytes, long dueNs) {
    if (nsPerByte == 0) return 0;
    double wire = wireBytes + overheadBytes;
    double depth = Math.max(burstBytes, wire) + SLACK_BYTES;
    long fullNs = 0;
    if (started && atNs > dueNs) {
      long fromNs = Math.max(dueNs, lastNs);
      double atDue = Math.min(depth, tokens + (fromNs - lastNs) / nsPerByte);
      fullNs = Math.max(0, (long) ((atDue - depth) * nsPerByte) + atNs - fromNs);
    }
    double available = started ? Math.min(depth, tokens + (atNs - lastNs) / nsPerByte) : depth;
    tokens = available - wire;
    lastNs = atNs;
    started = true;
    return fullNs;
  }
}
