package org.lemurnn.measure;

import java.util.List;
import org.lemurnn.traffic.TrafficKind;

/**
 * What one probe run sends: its traffic generator and the range of its frame sizes (Ethernet frame
 * bytes, uniform).
 */
public record ProbeTraffic(TrafficKind kind, int minFrameBytes, int maxFrameBytes) {
  /** The probe's own default: Poisson gaps, frames of 60 to 1,400 bytes (the kernel-tbf traces). */
  public static final ProbeTraffic POISSON = new ProbeTraffic(TrafficKind.EXPONENTIAL, 60, 1400);

  /**
   * What real programs send beside Poisson: bulk TCP's full-size 1,514-byte frames at a constant
   * rate (an overload when the run's load is over C), and bursts at four times the run's rate with
   * frames of any size (a window's worth of segments and ACKs back to back). A model trained only
   * on Poisson probes never saw either.
   */
  public static final List<ProbeTraffic> REAL_PROGRAMS = List.of(
      POISSON,
      new ProbeTraffic(
          TrafficKind.CBR, ProbeDatagram.MAX_FRAME_BYTES, ProbeDatagram.MAX_FRAME_BYTES),
      new ProbeTraffic(TrafficKind.BURSTY_CBR, 60, ProbeDatagram.MAX_FRAME_BYTES));

  /** Draws this run's schedule at a mean offered load of {@code rateMbps}. */
  public ProbeSchedule draw(double rateMbps, int packets, long seed) {
    return ProbeSchedule.draw(kind, rateMbps, minFrameBytes, maxFrameBytes, packets, seed);
  }
}
