package org.lemurnn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lemurnn.metrics.Latencies;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;

/**
 * A link shared with a competing flow, fitted as that flow ({@link RateProcess.Kind#CROSS}): the
 * link at its own capacity, a FIFO holding both flows' packets, and the other flow on or off, each
 * for an exponential time, at a level of its own while on and while off. What the traces show of
 * the other flow (the probes' share of the rate, the queue it fills) is all that is fitted: the
 * levels, the mean stays and the queue's limit are the ones at which the flow, drawn as emulation
 * draws it, makes of the training files' own packets what their links made
 * ({@link RateCalibration#mismatches}, with the 100 ms window means weighed in: how long the other
 * flow stays is what they show), by coordinate descent over grids from a start the traces give. The
 * capacity is the fastest the probes were served (the other flow off), the queue limit what the
 * fullest queue delayed them (the latency of a full FIFO is its limit at the capacity).
 */
final class CrossCalibration {
  /** The chain's window: fine against the stays it fits (tens to hundreds of ms). */
  static final double WINDOW_MS = 10;

  static final double[] LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4};
  static final double[] OFF_LEVELS = {0, 0.05, 0.1, 0.2, 0.3};
  static final double[] STAYS_MS = {50, 100, 150, 250, 400, 600, 1000};
  static final double[] QUEUE_FACTORS = {0.85, 0.9, 0.95, 1, 1.05, 1.1};
  /** Rounds of the descent: a second round revisits each parameter after the others moved. */
  static final int ROUNDS = 2;

  /** The quantile of a file's delivered latency taken as its full queue's delay. */
  static final double FULL_QUEUE_QUANTILE = 0.995;

  private CrossCalibration() {}

  /** What is fitted: the flow's levels and mean stays, and the queue limit's factor. */
  record Flow(double off, double on, double offMs, double onMs, double queueFactor) {
    Flow off(double v) {
      return new Flow(v, on, offMs, onMs, queueFactor);
    }

    Flow on(double v) {
      return new Flow(off, v, offMs, onMs, queueFactor);
    }

    Flow offMs(double v) {
      return new Flow(off, on, v, onMs, queueFactor);
    }

    Flow onMs(double v) {
      return new Flow(off, on, offMs, v, queueFactor);
    }

    Flow queueFactor(double v) {
      return new Flow(off, on, offMs, onMs, v);
    }

    LinkPrior prior(LinkPrior base) {
      return new LinkPrior(
              base.queueUnit(),
              base.capacityRatio(),
              base.queueRatio() * queueFactor,
              base.peakCapacityRatio())
          .withRates(RateProcess.onOff(WINDOW_MS, off, on, offMs, onMs));
    }
  }

  /**
   * The cross-traffic prior of the training files {@code named} (their names' C and Q;
   * {@code prior} as fitted to them, a rate process aside).
   */
  static LinkPrior fitted(LinkPrior prior, List<LinkSample> named) {
    LinkPrior base = base(prior, named);
    // the start: the other flow takes what the probes' share leaves of the capacity, half the time
    double mean = Math.clamp(1 - prior.capacityRatio() / base.capacityRatio(), 0.05, 0.7);
    Flow best = new Flow(0, nearest(LEVELS, 2 * mean), 250, 250, 1);
    double bestScore = score(best, base, named);
    for (int round = 0; round < ROUNDS; round++) {
      for (int parameter = 0; parameter < 5; parameter++) {
        double[] grid = switch (parameter) {
          case 0 -> LEVELS;
          case 1 -> OFF_LEVELS;
          case 2, 3 -> STAYS_MS;
          default -> QUEUE_FACTORS;
        };
        for (double v : grid) {
          Flow candidate = switch (parameter) {
            case 0 -> best.on(v);
            case 1 -> best.off(v);
            case 2 -> best.onMs(v);
            case 3 -> best.offMs(v);
            default -> best.queueFactor(v);
          };
          if (candidate.equals(best) || candidate.off() >= candidate.on()) continue;
          double s = score(candidate, base, named);
          if (s < bestScore) {
            bestScore = s;
            best = candidate;
          }
        }
      }
    }
    return best.prior(base);
  }

  private static double score(Flow flow, LinkPrior base, List<LinkSample> named) {
    return RateCalibration.mismatches(flow.prior(base), named).temporalScore();
  }

  /**
   * The link without the other flow: a byte or packet queue at the fastest rate the probes were
   * served (its capacity, the other flow off), its limit what delayed the probes most, per named
   * queue (the median over the files that dropped, as at the fit's capacity a full FIFO of both
   * flows delays its last packet by its limit; the fitted limit of the probes' own bytes is less).
   */
  static LinkPrior base(LinkPrior prior, List<LinkSample> named) {
    double capacity = prior.peakCapacityRatio();
    // (a packet limit counts both flows' packets, which the delays do not tell: the fit's stays)
    if (prior.packets())
      return new LinkPrior(prior.queueUnit(), capacity, prior.queueRatio(), capacity);
    List<Double> queue = new ArrayList<>();
    for (LinkSample s : named) {
      if (s.dropCount() == 0 || !(s.queueLimit() > 0)) continue;
      double[] delivered = Latencies.delivered(s, 0);
      Arrays.sort(delivered);
      if (delivered.length == 0) continue;
      double fullMs = Latencies.quantile(delivered, FULL_QUEUE_QUANTILE);
      double limit = s.units().sendableInGap(fullMs, s.capacity() * capacity);
      queue.add(limit / s.queueLimit());
    }
    double queueRatio = queue.isEmpty() ? prior.queueRatio() : median(queue);
    return new LinkPrior(prior.queueUnit(), capacity, queueRatio, capacity);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double nearest(double[] grid, double value) {
    double best = grid[0];
    for (double g : grid) if (Math.abs(g - value) < Math.abs(best - value)) best = g;
    return best;
  }
}
