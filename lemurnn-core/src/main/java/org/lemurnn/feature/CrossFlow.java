package org.lemurnn.feature;

import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.RateProcess;

/**
 * The competing flow of a cross-traffic rate process ({@link RateProcess.Kind#CROSS}): its frames
 * go into the same FIFO as the link's own packets, between them, so that a full queue drops the two
 * flows alike, in proportion to their arrivals (a share of the rate,
 * {@link RateProcess.Kind#SHARE}, drops only the link's own packets and over-drops them).
 * Emulating, the flow's rate is the chain's level drawn window by window, and its frames a Poisson
 * stream at that rate, both from the link's seeded stream ({@link RateProcess.Sampler}); under
 * teacher forcing the level is the one each packet's window shows and the frames come evenly at it.
 * Not thread safe; allocation-free.
 */
final class CrossFlow {
  private final UnitSystem units;
  /** A frame in size units (KByte for physical data, bytes for abstract), as the queue counts. */
  private final double frameSize;

  /** Time until the next frame, in the data's time unit; NaN: drawn at the next feed. */
  private double untilFrame = Double.NaN;

  CrossFlow(UnitSystem units) {
    this.units = units;
    double bytes = RateProcess.CROSS_FRAME_BYTES;
    this.frameSize = units == UnitSystem.ABSTRACT ? bytes : bytes / 1000;
  }

  /** A new sequence: no frame on its way. */
  void reset() {
    untilFrame = Double.NaN;
  }

  /**
   * Feeds {@code queue} the frames the flow sends in the next {@code gap} at the levels
   * {@code draws} draws (x {@code capacity}), and returns the time from the last of them (or from
   * the gap's start) to its end: the gap after which the packet that ends it arrives.
   */
  double feed(TokenBucketFifo queue, double gap, double capacity, RateProcess.Sampler draws) {
    double left = gap, since = 0;
    while (true) {
      if (Double.isNaN(untilFrame)) untilFrame = drawGap(draws, capacity);
      double toStep = draws.untilStepMs();
      if (untilFrame <= left && untilFrame <= toStep) {
        draws.advance(untilFrame);
        left -= untilFrame;
        since += untilFrame;
        queue.arrive(since, frameSize);
        since = 0;
        untilFrame = Double.NaN;
      } else if (toStep <= left) {
        draws.step();
        left -= toStep;
        since += toStep;
        // a Poisson stream forgets: the next frame is drawn afresh at the new level
        untilFrame = Double.NaN;
      } else {
        draws.advance(left);
        untilFrame -= left;
        return since + left;
      }
    }
  }

  /**
   * As above at one {@code level} for the whole gap (teacher forcing), the frames evenly spaced.
   */
  double feed(TokenBucketFifo queue, double gap, double capacity, double level) {
    if (!(level > 0)) {
      untilFrame = Double.NaN;
      return gap;
    }
    double spacing = units.latencyOf(frameSize, level * capacity);
    if (Double.isNaN(untilFrame) || untilFrame > spacing) untilFrame = spacing;
    double left = gap, since = 0;
    while (untilFrame <= left) {
      left -= untilFrame;
      since += untilFrame;
      queue.arrive(since, frameSize);
      since = 0;
      untilFrame = spacing;
    }
    untilFrame -= left;
    return since + left;
  }

  private double drawGap(RateProcess.Sampler draws, double capacity) {
    double level = draws.level();
    return level > 0
        ? draws.exponentialMs(units.latencyOf(frameSize, level * capacity))
        : Double.POSITIVE_INFINITY;
  }
}
