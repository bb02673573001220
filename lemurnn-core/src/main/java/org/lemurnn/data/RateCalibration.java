package org.lemurnn.data;

import java.util.Arrays;
import java.util.List;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PriorOnly;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Latencies;
import org.lemurnn.metrics.TemporalFidelity;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;

/**
 * How fast a fitted rate process's levels really are, and what they are the rate of. A trace shows
 * its link's rate only while the link is busy, and a link is busy most when it is slow: the window
 * rates a fit sees oversample the fades (levels taken as seen are too slow, and behind them the
 * emulated queue drains too slowly and drops in long runs), and the windows that show no rate (an
 * idle link) are its fast ones. So the process's speed is calibrated: the rate process alone (the
 * physical queue at the drawn rate, {@link PriorOnly}) runs {@value #DRAWS} times over each
 * training file's own packets, and the speed is the one at which it makes of them what their links
 * made, pooled over the files (a process is right when its fades come as often and last as long as
 * the links', not when each file's few seconds meet the same fades): the drop-rate error in points
 * plus the latency W1 in units of {@link #LATENCY_POINT} of each file's full queue. First every
 * level is scaled by one factor of a geometric grid, then the idle level alone; both as the rate of
 * the link itself and as the share other traffic leaves of it ({@link RateProcess#shared}). How far
 * the levels lie apart and how long each lasts are the fit's. Beside them a competing flow through
 * the same FIFO, fitted on its own ({@link CrossCalibration}); the best of the three wins.
 */
final class RateCalibration {
  /** Draws of the process per file: a fade on one draw is not the process's mean. */
  static final int DRAWS = 4;
  /** The factors tried: from MIN_SCALE up by STEP while at most MAX_SCALE. */
  static final double MIN_SCALE = 0.5, MAX_SCALE = 4, STEP = 1.06;

  private RateCalibration() {}

  /**
   * {@code prior} with {@code rates} at the speed at which it emulates {@code named} best, as the
   * rate of the link itself or as the share other traffic leaves of it
   * ({@link RateProcess#shared}): first every level scaled by one factor, then the idle level's
   * rate on its own (from the fastest measured level up); or, where it emulates them better, the
   * link at its own capacity shared with a competing flow ({@link CrossCalibration}).
   */
  static LinkPrior calibrated(LinkPrior prior, RateProcess rates, List<LinkSample> named) {
    RateProcess best = rates;
    double bestMismatch = Double.POSITIVE_INFINITY;
    for (RateProcess.Kind k :
        new RateProcess.Kind[] {RateProcess.Kind.LINK, RateProcess.Kind.SHARE}) {
      RateProcess kind = rates.as(k), bestOfKind = kind;
      double bestOfKindMismatch = Double.POSITIVE_INFINITY;
      for (double scale = MIN_SCALE; scale <= MAX_SCALE; scale *= STEP) {
        RateProcess candidate = kind.scaled(scale);
        double m = mismatch(prior.withRates(candidate), named);
        if (m < bestOfKindMismatch) {
          bestOfKindMismatch = m;
          bestOfKind = candidate;
        }
      }
      if (bestOfKind.idle()) {
        double[] levels = bestOfKind.levels();
        double fastest = levels[levels.length - 2];
        RateProcess scaled = bestOfKind;
        for (double idle = fastest * STEP; idle <= fastest * MAX_IDLE; idle *= STEP) {
          RateProcess candidate = scaled.withIdleLevel(idle);
          double m = mismatch(prior.withRates(candidate), named);
          if (m < bestOfKindMismatch) {
            bestOfKindMismatch = m;
            bestOfKind = candidate;
          }
        }
      }
      if (bestOfKindMismatch < bestMismatch) {
        bestMismatch = bestOfKindMismatch;
        best = bestOfKind;
      }
    }
    // a competing flow shows in what a full FIFO does (it drops both flows alike): without drops at
    // a limit nothing tells it from a slower link, and a flow at the capacity would grow a queue
    // without a limit for ever
    if (named.stream().noneMatch(s -> s.queueLimit() > 0 && s.dropCount() > 0))
      return prior.withRates(best);
    LinkPrior cross = CrossCalibration.fitted(prior, named);
    return mismatch(cross, named) < bestMismatch ? cross : prior.withRates(best);
  }

  /**
   * The latency W1, in full queues, that weighs as much as a point of drop-rate error. Measured on
   * the kernel links of docs/results.md: weighed as 1 (a full queue as a hundred points), the
   * calibration matched the latencies and missed the drops by 8 points on the cross-traffic link;
   * at 0.03 to 0.1 the two were both near their best.
   */
  static final double LATENCY_POINT = 0.05;

  /** The idle level is tried up to this many times the fastest measured one. */
  static final double MAX_IDLE = 4;

  /**
   * Pooled over the files: the drop-rate error in points over all packets, plus the W1 distance of
   * the delivered packets' latencies, each in units of its file's full queue (the time the named
   * queue takes to drain at the named rate), per {@link #LATENCY_POINT}.
   */
  static double mismatch(LinkPrior prior, List<LinkSample> named) {
    return mismatches(prior, named).score();
  }

  /**
   * How far the fitted link alone is from the files: the drop-rate error in points over all
   * packets, the latency W1 and the W1 of the 100 ms window means (how long the link's condition
   * lasts), the latencies each in units of its file's full queue.
   */
  record Mismatch(double dropPoints, double latencyW1, double windowW1) {
    /**
     * Drops plus latency W1, a {@link RateCalibration#LATENCY_POINT} of a full queue weighing as a
     * point.
     */
    double score() {
      return dropPoints
          + (Double.isFinite(latencyW1) ? latencyW1 / LATENCY_POINT : 1 / LATENCY_POINT);
    }

    /** {@link #score} plus the window means' W1, weighed alike. */
    double temporalScore() {
      return score() + (Double.isFinite(windowW1) ? windowW1 / LATENCY_POINT : 1 / LATENCY_POINT);
    }
  }

  static Mismatch mismatches(LinkPrior prior, List<LinkSample> named) {
    ModelSpec spec =
        new ModelSpec(CellType.RELU_RNN, 1, 1, "x", "bd", UnitSystem.PHYSICAL, 1, 0, null, prior);
    List<Pooled> files = named.parallelStream()
        .map(truth -> {
          double scale = fullQueueMs(truth);
          double[] trueLatency = scaled(Latencies.inArrivalOrder(truth), scale);
          double[] trueWindows = scaled(windowMeans(truth), scale);
          double[][] drawn = new double[DRAWS][], windows = new double[DRAWS][];
          long drops = 0;
          for (int d = 0; d < DRAWS; d++) {
            LinkSample emulated = LinkPrediction.forSample(
                    new PriorOnly(spec), truth, DropRule.sample(d + 1))
                .predict(truth);
            drops += emulated.dropCount();
            drawn[d] = scaled(Latencies.inArrivalOrder(emulated), scale);
            windows[d] = scaled(windowMeans(emulated), scale);
          }
          return new Pooled(
              truth.length(),
              truth.dropCount(),
              drops,
              trueLatency,
              Arrays.stream(drawn).flatMapToDouble(Arrays::stream).toArray(),
              trueWindows,
              Arrays.stream(windows).flatMapToDouble(Arrays::stream).toArray());
        })
        .toList();
    long packets = 0, trueDrops = 0, drawnDrops = 0;
    for (Pooled p : files) {
      packets += p.packets;
      trueDrops += p.trueDrops;
      drawnDrops += p.drawnDrops;
    }
    double dropPoints =
        100 * Math.abs((double) drawnDrops / (DRAWS * packets) - (double) trueDrops / packets);
    double[] trueLatency = pooled(files, Pooled::trueLatency);
    double[] drawnLatency = pooled(files, Pooled::drawnLatency);
    return new Mismatch(
        dropPoints,
        Latencies.w1(trueLatency, drawnLatency),
        Latencies.w1(pooled(files, Pooled::trueWindows), pooled(files, Pooled::drawnWindows)));
  }

  private static double[] pooled(
      List<Pooled> files, java.util.function.Function<Pooled, double[]> part) {
    return files.stream()
        .flatMapToDouble(p -> Arrays.stream(part.apply(p)))
        .sorted()
        .toArray();
  }

  private static double[] windowMeans(LinkSample sample) {
    return TemporalFidelity.windowMeans(sample, TemporalFidelity.WINDOW_MS, 0);
  }

  private record Pooled(
      long packets,
      long trueDrops,
      long drawnDrops,
      double[] trueLatency,
      double[] drawnLatency,
      double[] trueWindows,
      double[] drawnWindows) {}

  /**
   * A file's latency scale: what its named queue holds, at its named rate (its p99 latency without
   * a queue limit).
   */
  static double fullQueueMs(LinkSample truth) {
    double ms = truth.queueLimit() > 0
        ? truth.units().latencyOf(truth.queueLimit(), truth.capacity())
        : Latencies.quantile(Latencies.delivered(truth, 0), 0.99);
    return ms > 0 ? ms : 1;
  }

  private static double[] scaled(double[] latency, double fullQueueMs) {
    for (int i = 0; i < latency.length; i++) latency[i] /= fullQueueMs;
    return latency;
  }
}
