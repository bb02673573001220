package org.lemurnn.link;

import java.util.List;
import java.util.Objects;

/**
 * The ranges a link's parameters are drawn from, once per sample (docs/architecture.md, Presets and
 * traffic).
 *
 * <p>In {@link UnitSystem#ABSTRACT} units (the original's presets) the arrival rate is packets per
 * time unit, capacity size units per time unit, sizes and queue in size units. In
 * {@link UnitSystem#PHYSICAL} units the arrival rate is an offered bit rate in Mbit/s, capacity
 * Mbit/s, sizes and queue in KByte; {@link #packetsPerTime} turns a drawn rate into packets per ms.
 *
 * @param overheadSize bytes a packet occupies on the link beyond its size (framing), in size units
 * @param traffic traffic generator names used when the data set names none; empty means
 *     {@code exponential}
 */
public record LinkPreset(
    String name,
    UnitSystem units,
    Range arrivalRate,
    Range capacity,
    Range packetSize,
    Range queue,
    double overheadSize,
    List<String> traffic) {
  /** The largest packet a physical link carries: an IP packet holds at most 64 KiB. */
  public static final int MAX_PACKET_BYTES = 65_536;

  public LinkPreset {
    Objects.requireNonNull(name);
    Objects.requireNonNull(units);
    if (units == UnitSystem.PHYSICAL_KBIT) {
      throw new IllegalArgumentException("preset " + name + ": use units abstract or physical");
    }
    for (Range r : List.of(arrivalRate, capacity, packetSize, queue)) {
      if (r.min() < 0)
        throw new IllegalArgumentException("preset " + name + ": negative value in " + r);
    }
    if (units == UnitSystem.PHYSICAL && packetSize.max() * 1000 > MAX_PACKET_BYTES) {
      throw new IllegalArgumentException("preset " + name + ": packets of up to " + packetSize.max()
          + " KByte, but no " + "packet is larger than " + MAX_PACKET_BYTES / 1000.0
          + " KByte (the largest IP packet); pkt_size is in KByte");
    }
    if (!(overheadSize >= 0) || Double.isInfinite(overheadSize)) {
      throw new IllegalArgumentException(
          "preset " + name + ": overhead must be >= 0, got " + overheadSize);
    }
    traffic = List.copyOf(traffic);
  }

  /**
   * Rounds a drawn size or queue to whole bytes, as the original's {@code rint}: a byte is one size
   * unit (abstract) or 0.001 KByte (physical).
   */
  public double toWholeBytes(double size) {
    double bytesPerSizeUnit = units == UnitSystem.PHYSICAL ? 1000 : 1;
    return Math.rint(size * bytesPerSizeUnit) / bytesPerSizeUnit;
  }

  /**
   * Packets per time unit for a drawn arrival rate: the rate itself in abstract units; in physical
   * units the rate is Mbit/s (= Kbit/ms) of offered load, so packets per ms = rate / (8 x mean
   * size).
   */
  public double packetsPerTime(double drawnRate) {
    return units == UnitSystem.PHYSICAL ? drawnRate / (8 * packetSize.mean()) : drawnRate;
  }

  /** True when the queue is unlimited because the preset gives no queue (max queue <= 0). */
  public boolean unlimitedQueue() {
    return queue.max() <= 0;
  }

  /** True when the preset can make a link at all (a capacity above zero). */
  public boolean usable() {
    return capacity.max() > 0 && arrivalRate.max() > 0;
  }
}
