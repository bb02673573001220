package org.lemurnn.measure;

import java.util.Locale;
import org.lemurnn.trace.TraceRows;

/**
 * The longest a kernel tbf of constant rate can hold a probe, and the probes of a trace held
 * longer: a probe waits at most for the bytes queued ahead of it and itself (tbf's byte limit, or a
 * pfifo child's packets at the largest frame), less what the bucket gives at once, to leave at C.
 * The bound adds the bucket and the frame once more and a margin for the stack around the shaper
 * (veth, softirq, the sockets: well under a millisecond on an idle host), so that only what the
 * link cannot do exceeds it. A probe held longer than that is the measuring machine stalling (the
 * sender after its time stamp, the receiver before its), not the link: a trace with such probes
 * teaches and scores a delay no emulation of the link can give (a stall of a few ms in one held-out
 * file cost every emulation, the kernel's tbf simulated included, 20% p99 error in that file).
 *
 * @param capacityMbps tbf's rate
 * @param queueBytes tbf's limit (unused with a pfifo child)
 * @param burstBytes tbf's bucket
 * @param pfifoPackets the pfifo child's limit, 0 for none
 * @param marginMs what the stack around the shaper may add
 */
public record TbfHoldBound(
    double capacityMbps, int queueBytes, int burstBytes, int pfifoPackets, double marginMs) {
  /** What the stack may add on a host that is not stalling (KernelTbfProbeTest's allowance too). */
  public static final double DEFAULT_MARGIN_MS = 2;

  private static final double BYTES_PER_MS_PER_MBPS = 125;

  public TbfHoldBound {
    if (!(capacityMbps > 0) || Double.isInfinite(capacityMbps))
      throw new IllegalArgumentException("capacity must be > 0 Mbit/s, got " + capacityMbps);
    if (queueBytes < 0 || burstBytes < 0 || pfifoPackets < 0)
      throw new IllegalArgumentException("queue, burst and pfifo limits must be >= 0");
    if (!(marginMs >= 0) || Double.isInfinite(marginMs))
      throw new IllegalArgumentException("--stall_margin_ms must be >= 0, got " + marginMs);
  }

  /** The most bytes the queue can hold ahead of a probe and the probe itself. */
  public double queuedBytes() {
    return pfifoPackets > 0 ? (double) pfifoPackets * ProbeDatagram.MAX_FRAME_BYTES : queueBytes;
  }

  /** The longest the link can hold a frame of {@code frameBytes}, the margin included. */
  public double boundMs(int frameBytes) {
    return (queuedBytes() + burstBytes + frameBytes) / (capacityMbps * BYTES_PER_MS_PER_MBPS)
        + marginMs;
  }

  /**
   * The delivered probes of {@code rows} held longer than {@link #boundMs}: how many, the longest
   * latency, and the bound of that probe.
   */
  public Stalls stalls(TraceRows rows) {
    int held = 0;
    double longestMs = 0, boundOfLongestMs = boundMs(ProbeDatagram.MAX_FRAME_BYTES);
    for (int i = 0; i < rows.length(); i++) {
      if (rows.dropped()[i]) continue;
      double latencyMs = rows.latencyNs()[i] / 1e6;
      double boundMs = boundMs(rows.sizeBytes()[i]);
      if (latencyMs > boundMs) held++;
      if (latencyMs > longestMs) {
        longestMs = latencyMs;
        boundOfLongestMs = boundMs;
      }
    }
    return new Stalls(held, longestMs, boundOfLongestMs);
  }

  /**
   * @param probes delivered probes held longer than the link can hold them
   * @param longestMs the longest latency of the trace
   * @param boundMs the bound of the probe with that latency
   */
  public record Stalls(int probes, double longestMs, double boundMs) {
    public boolean any() {
      return probes > 0;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d probes held longer than the link can hold them (up to %.1f ms where it holds one at most %.1f ms)",
          probes,
          longestMs,
          boundMs);
    }
  }
}
