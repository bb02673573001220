package org.lemurnn.net;

import java.time.Instant;

/**
 * The wall clock (CLOCK_REALTIME) as epoch nanoseconds: the time base of the probe's send and
 * receive stamps ({@link StampedUdpSocket}'s are the kernel's on the same clock) and of the
 * forwarder's packet log, which both ends of a measurement must share.
 */
public final class WallClock {
  private WallClock() {}

  /** Now, in epoch nanoseconds, at the system clock's resolution. */
  public static long epochNs() {
    return epochNs(Instant.now());
  }

  public static long epochNs(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
