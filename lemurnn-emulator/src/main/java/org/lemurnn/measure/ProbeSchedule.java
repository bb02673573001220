package org.lemurnn.measure;

import java.util.SplittableRandom;
import org.lemurnn.traffic.TrafficKind;
import org.lemurnn.traffic.TrafficSource;

/**
 * When each probe of a run leaves and how long its frame is: gaps from the project's traffic
 * generators, frame sizes uniform in {@code minFrameBytes..maxFrameBytes}. Sizes count the whole
 * Ethernet frame (UDP payload + {@link ProbeDatagram#HEADER_BYTES} bytes of Ethernet, IPv4 and UDP
 * headers), the bytes the kernel's tbf and the original's traces count.
 *
 * @param offsetNs send time of each probe after the run's start (the first is 0)
 * @param frameBytes Ethernet frame size of each probe
 */
public record ProbeSchedule(long[] offsetNs, int[] frameBytes) {
  public ProbeSchedule {
    if (offsetNs.length != frameBytes.length)
      throw new IllegalArgumentException("offsets and sizes differ in length");
  }

  public int packets() {
    return offsetNs.length;
  }

  /**
   * Draws a run's schedule at a mean offered load of {@code rateMbps} (frame bytes x 8 per second).
   * Only open-loop traffic: a probe does not hear what the link did to earlier probes in time.
   */
  public static ProbeSchedule draw(
      TrafficKind traffic,
      double rateMbps,
      int minFrameBytes,
      int maxFrameBytes,
      int packets,
      long seed) {
    if (traffic.closedLoop()) {
      throw new IllegalArgumentException("--traffic " + traffic.fileName()
          + " reacts to drops and latency as they happen, which UDP probes learn only after the run: "
          + "use exponential, cbr, bursty_cbr or bursty_exponential");
    }
    if (!(rateMbps > 0) || Double.isInfinite(rateMbps))
      throw new IllegalArgumentException("--rate_mbps must be > 0, got " + rateMbps);
    if (minFrameBytes < ProbeDatagram.MIN_FRAME_BYTES
        || maxFrameBytes < minFrameBytes
        || maxFrameBytes > ProbeDatagram.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("--size_bytes must be MIN..MAX with "
          + ProbeDatagram.MIN_FRAME_BYTES
          + " <= MIN <= MAX <= " + ProbeDatagram.MAX_FRAME_BYTES + " (Ethernet frame bytes), got "
          + minFrameBytes + ".." + maxFrameBytes);
    }
    if (packets < 1) throw new IllegalArgumentException("--packets must be >= 1, got " + packets);
    SplittableRandom rng = new SplittableRandom(seed);
    double meanFrameBytes = (minFrameBytes + maxFrameBytes) / 2.0;
    double packetsPerSecond = rateMbps * 1e6 / (8 * meanFrameBytes);
    TrafficSource source = traffic.start(rng.split(), packetsPerSecond);
    SplittableRandom sizes = rng.split();
    long[] offset = new long[packets];
    int[] frame = new int[packets];
    double atSeconds = 0;
    for (int i = 0; i < packets; i++) {
      double gap = source.nextGap(false, 0);
      // the first gap is the wait before the first packet: a run starts with its first probe
      if (i > 0) atSeconds += gap;
      offset[i] = Math.round(atSeconds * 1e9);
      frame[i] = sizes.nextInt(minFrameBytes, maxFrameBytes + 1);
    }
    return new ProbeSchedule(offset, frame);
  }
}
