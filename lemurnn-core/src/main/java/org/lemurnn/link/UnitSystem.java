package org.lemurnn.link;

import java.util.Locale;

/**
 * The units a sample, data set or model is expressed in (docs/architecture.md, Units). Every data
 * set and model file records its unit system; code converting between them goes through this type.
 */
public enum UnitSystem {
  /**
   * The original's synthetic presets: sizes, queue and backlog in one size unit, time in one time
   * unit, capacity in size units per time unit. Feature b = ipt x C.
   */
  ABSTRACT,
  /**
   * Measured traces, physical presets and the forwarder: time in ms, sizes, queue and backlog in
   * KByte, capacity in Mbit/s (= Kbit/ms). Feature b = ipt_ms x C / 8 [KByte]; latency_ms = backlog
   * x 8 / C.
   */
  PHYSICAL,
  /**
   * The original project's models trained on measured traces: like {@link #PHYSICAL} but feature b
   * and the backlog are in Kbit (b = ipt_ms x C, latency_ms = backlog / C).
   */
  PHYSICAL_KBIT;

  /**
   * The name used in files and on the command line: {@code abstract}, {@code physical},
   * {@code physical-kbit}.
   */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The unit system of a name {@link #fileName} gives, as files and the command line write it (any
   * case).
   */
  public static UnitSystem fromFileName(String name) {
    for (UnitSystem u : values()) {
      if (u.fileName().equalsIgnoreCase(name.trim())) return u;
    }
    throw new IllegalArgumentException(
        "unknown unit system '" + name + "': use abstract, physical or physical-kbit");
  }

  /** The unit of sizes and backlog, for labels: {@code size units}, {@code KByte}, {@code Kbit}. */
  public String backlogUnit() {
    return switch (this) {
      case ABSTRACT -> "size units";
      case PHYSICAL -> "KByte";
      case PHYSICAL_KBIT -> "Kbit";
    };
  }

  /** The unit of time, for labels: {@code time units} or {@code ms}. */
  public String timeUnit() {
    return this == ABSTRACT ? "time units" : "ms";
  }

  /**
   * Feature b: what the link can send in a gap of {@code ipt} at capacity {@code capacity}, in
   * backlog units.
   */
  public double sendableInGap(double ipt, double capacity) {
    return switch (this) {
      case ABSTRACT, PHYSICAL_KBIT -> ipt * capacity;
      case PHYSICAL -> ipt * capacity / 8.0;
    };
  }

  /** Latency of a backlog at a capacity: time to drain it. */
  public double latencyOf(double backlog, double capacity) {
    return switch (this) {
      case ABSTRACT, PHYSICAL_KBIT -> backlog / capacity;
      case PHYSICAL -> backlog * 8.0 / capacity;
    };
  }
}
