package org.lemurnn.traffic;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The traffic generators (docs/architecture.md, Presets and traffic). Each makes one
 * {@link TrafficSource} per sample, at a mean rate of {@code packetsPerTime} packets per time unit
 * of the sample.
 */
public enum TrafficKind {
  /** Poisson arrivals, the original's only kind. */
  EXPONENTIAL(false),
  /** Constant bit rate: equal gaps. */
  CBR(false),
  /**
   * On/off: bursts of {@value TrafficSource#BURST_PACKETS} packets at 4x the rate, then silence.
   */
  BURSTY_CBR(false),
  /** On/off with geometric burst lengths and exponential gaps inside and between bursts. */
  BURSTY_EXPONENTIAL(false),
  /** A Reno-like AIMD sender reacting to the previous packet's drop and latency. */
  TCP_RENO(true);

  private final boolean closedLoop;

  TrafficKind(boolean closedLoop) {
    this.closedLoop = closedLoop;
  }

  /**
   * Whether the gaps depend on what the link did to earlier packets. Open-loop kinds ignore the
   * fate passed to {@link TrafficSource#nextGap}, so all their gaps may be drawn before the link
   * runs (the original's draw order).
   */
  public boolean closedLoop() {
    return closedLoop;
  }

  /**
   * The name used in files and on the command line ({@code --traffic}, dataset-properties.json):
   * {@code tcp_reno}.
   */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The traffic of a name {@link #fileName} gives, as files and the command line write it (any
   * case).
   */
  public static TrafficKind fromFileName(String name) {
    for (TrafficKind k : values()) if (k.fileName().equalsIgnoreCase(name.trim())) return k;
    throw new IllegalArgumentException("unknown traffic '" + name
        + "': use exponential, cbr, bursty_cbr, bursty_exponential or tcp_reno");
  }

  /** A generator for one sample; {@code rng} is the sample's own stream. */
  public TrafficSource start(RandomGenerator rng, double packetsPerTime) {
    if (!(packetsPerTime > 0) || Double.isInfinite(packetsPerTime)) {
      throw new IllegalArgumentException("arrival rate must be > 0 and finite: " + packetsPerTime);
    }
    return switch (this) {
      case EXPONENTIAL -> new TrafficSource.Exponential(rng, 1.0 / packetsPerTime);
      case CBR -> new TrafficSource.Cbr(1.0 / packetsPerTime);
      case BURSTY_CBR -> new TrafficSource.BurstyCbr(packetsPerTime);
      case BURSTY_EXPONENTIAL -> new TrafficSource.BurstyExponential(rng, packetsPerTime);
      case TCP_RENO -> new TrafficSource.TcpReno(packetsPerTime);
    };
  }
}
