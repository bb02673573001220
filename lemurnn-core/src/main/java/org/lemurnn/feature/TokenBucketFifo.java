package org.lemurnn.feature;

import org.lemurnn.link.DepartureRing;
import org.lemurnn.link.UnitSystem;

/**
 * The kernel's tbf as the FIFO a competing flow shares ({@link CrossFlow}): whole packets, each
 * leaving once the token bucket (refilled at the capacity, up to its depth) holds its bytes, and
 * counted against the limit whole until it leaves, as tbf holds its head. A FIFO drained as a fluid
 * ({@link org.lemurnn.link.ByteQueue}) frees room byte by byte, so a small packet finds room where
 * tbf has none until the frame ahead leaves whole; the loss bursts a full queue makes are tbf's
 * only with whole packets. Times in the data's time unit, sizes in its size unit. Not thread safe;
 * allocation-free once its ring holds the most packets the limits let it hold.
 */
final class TokenBucketFifo {
  private final UnitSystem units;
  private final double capacity;
  private final double timePerSize;
  private final double burst;
  private final double byteLimit; // +inf: none
  private final int packetLimit; // Integer.MAX_VALUE: none

  private boolean started;
  private double now; // from an origin that moves to each arrival finding the link idle
  private double lastDeparture;
  private double tokens; // the bucket's bytes right after the last departure
  private double latency;
  private final DepartureRing held = new DepartureRing(); // packets not yet departed

  /**
   * @param burst the bucket's depth in size units (0: every packet serialized at the capacity)
   * @param byteLimit the most the FIFO holds, in size units ({@code Double.POSITIVE_INFINITY}: no
   *     limit)
   * @param packetLimit the most packets it holds ({@code Integer.MAX_VALUE}: no limit)
   */
  TokenBucketFifo(
      UnitSystem units, double capacity, double burst, double byteLimit, int packetLimit) {
    this.units = units;
    this.capacity = capacity;
    this.timePerSize = units.latencyOf(1, capacity);
    this.burst = burst;
    this.byteLimit = byteLimit;
    this.packetLimit = packetLimit;
    restart();
  }

  /** Empty, its bucket full, as before the first packet. */
  void restart() {
    started = false;
    now = 0;
    lastDeparture = 0;
    tokens = burst;
    latency = 0;
    held.clear();
  }

  /**
   * A packet of {@code size} arrives {@code gap} after the previous one: dropped (true) when it
   * would make what the FIFO holds exceed a limit; the first never is.
   */
  boolean arrive(double gap, double size) {
    now += gap;
    held.departBy(now);
    if (held.count() == 0 && lastDeparture <= now) {
      // idle: the origin moves here, the bucket keeps what it refilled
      tokens = tokensAt(now, burst);
      lastDeparture = 0;
      now = 0;
    }
    if (started && (held.count() + 1 > packetLimit || held.held() + size > byteLimit)) return true;
    started = true;
    double start = Math.max(now, lastDeparture);
    double depth = Math.max(burst, size);
    double departure = start + Math.max(0, size - tokensAt(start, depth)) * timePerSize;
    tokens = tokensAt(departure, depth) - size;
    lastDeparture = departure;
    held.push(departure, size);
    latency = departure - now;
    return false;
  }

  /** The last packet's latency (a dropped one's: the one before it). */
  double latency() {
    return latency;
  }

  /** The last packet's latency as the backlog that drains in it at the capacity. */
  double backlog() {
    return units.sendableInGap(latency, capacity);
  }

  private double tokensAt(double time, double depth) {
    return Math.min(depth, tokens + (time - lastDeparture) / timePerSize);
  }
}
