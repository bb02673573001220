package org.lemurnn.measure;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Competing traffic through the link under test, at a mean share of its capacity: what {@code probe
 * tbf --cross_traffic} sends from a socket of its own beside the probes, so the probes see a queue
 * they do not fill alone, as a user's traffic sees a shared bottleneck.
 *
 * @param kind Poisson, or on/off
 * @param share mean offered load as a share of the link's capacity
 * @param periodMs on/off: the mean length of an on period and of an off period (exponential both)
 * @param frameBytes Ethernet frame size of every cross-traffic packet (bulk traffic: large frames)
 */
public record CrossTraffic(Kind kind, double share, double periodMs, int frameBytes) {
  /** Full-size frames, as bulk transfers send. */
  public static final int FRAME_BYTES = 1400;

  public enum Kind {
    /** Poisson arrivals at the mean rate. */
    POISSON,
    /**
     * Exponential on and off periods of equal mean, Poisson at twice the mean rate while on: a
     * competing flow that comes and goes for hundreds of milliseconds, the hidden condition a model
     * has to carry.
     */
    ONOFF;

    public static Kind parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "poisson" -> POISSON;
        case "onoff", "on_off", "on/off" -> ONOFF;
        default ->
          throw new IllegalArgumentException(
              "--cross_traffic must be poisson or onoff, got '" + text + "'");
      };
    }

    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CrossTraffic {
    if (!(share > 0) || share > 10)
      throw new IllegalArgumentException("--cross_share must be > 0 and <= 10, got " + share);
    if (!(periodMs > 0) || Double.isInfinite(periodMs))
      throw new IllegalArgumentException("--cross_period_ms must be > 0, got " + periodMs);
    if (frameBytes < ProbeDatagram.MIN_FRAME_BYTES || frameBytes > ProbeDatagram.MAX_FRAME_BYTES)
      throw new IllegalArgumentException("cross-traffic frame out of range: " + frameBytes);
  }

  /** The send times of this traffic on a link of {@code capacityMbps}, drawn from {@code seed}. */
  public Sends sends(double capacityMbps, long seed) {
    return new Sends(this, capacityMbps, new SplittableRandom(seed));
  }

  /** An endless sequence of send times, in ns after the start. */
  public static final class Sends {
    private final SplittableRandom rng;
    private final boolean onOff;
    private final double gapMeanNs, periodNs;
    private double atNs, onUntilNs;

    Sends(CrossTraffic traffic, double capacityMbps, SplittableRandom rng) {
      this.rng = rng;
      this.onOff = traffic.kind == Kind.ONOFF;
      double meanPerSecond = traffic.share * capacityMbps * 1e6 / (8.0 * traffic.frameBytes);
      // on half of the time on average: twice the rate while on
      this.gapMeanNs = 1e9 / (onOff ? 2 * meanPerSecond : meanPerSecond);
      this.periodNs = traffic.periodMs * 1e6;
      this.onUntilNs = onOff ? exponential(periodNs) : Double.POSITIVE_INFINITY;
    }

    /** The next frame's send time, ns after the start (non-decreasing). */
    public long nextNs() {
      atNs += exponential(gapMeanNs);
      while (atNs > onUntilNs) {
        // the on period ended before this frame: skip an off period, start the next on period
        double onStart = onUntilNs + exponential(periodNs);
        onUntilNs = onStart + exponential(periodNs);
        atNs = onStart + exponential(gapMeanNs);
      }
      return Math.round(atNs);
    }

    private double exponential(double mean) {
      return -mean * Math.log(1 - rng.nextDouble());
    }
  }
}
