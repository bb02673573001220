package org.lemurnn.measure.capture;

/**
 * Capture timestamps as epoch nanoseconds, in arithmetic that cannot overflow: each conversion
 * either gives the exact time (truncated to the nanosecond) or throws {@link ArithmeticException},
 * which the reader turns into a refusal naming the packet. A hostile capture's resolution 10^0 with
 * 10^10 s, a 64-bit unit count near 2^64 or an offset of 2^62 s must never wrap into a time that
 * looks real.
 */
final class CaptureTime {
  static final long NS_PER_S = 1_000_000_000L;

  private CaptureTime() {}

  /**
   * A pcapng timestamp: {@code units} (an unsigned 64-bit count) of 1/{@code unitsPerSecond}
   * seconds, in binary units (2^-e, {@code unitsPerSecond} a power of two) or decimal (10^-e), plus
   * {@code offsetSeconds} (if_tsoffset).
   */
  static long pcapngNs(long units, long unitsPerSecond, long offsetSeconds) {
    long seconds = Long.divideUnsigned(units, unitsPerSecond);
    long rest = Long.remainderUnsigned(units, unitsPerSecond);
    if (seconds < 0) throw new ArithmeticException("seconds beyond 2^63");
    return Math.addExact(
        Math.multiplyExact(Math.addExact(seconds, offsetSeconds), NS_PER_S),
        fractionNs(rest, unitsPerSecond));
  }

  /**
   * {@code rest} / {@code unitsPerSecond} seconds in nanoseconds, truncated, for 0 <= rest <
   * unitsPerSecond; the product rest x 10^9 is taken in 128 bits, so any resolution up to 2^-62 or
   * 10^-18 is exact.
   */
  static long fractionNs(long rest, long unitsPerSecond) {
    long high = Math.multiplyHigh(rest, NS_PER_S), low = rest * NS_PER_S;
    if (Long.bitCount(unitsPerSecond) == 1) {
      int shift = Long.numberOfTrailingZeros(unitsPerSecond);
      return shift == 0 ? 0 : high << (64 - shift) | low >>> shift;
    }
    if (high == 0 && low >= 0) return low / unitsPerSecond;
    // rest x 10^9 does not fit 63 bits: only for decimal units finer than 1 ns, whose ratio is
    // exact
    return rest / (unitsPerSecond / NS_PER_S);
  }

  /**
   * An ERF timestamp: 64-bit little-endian fixed point, seconds in the upper 32 bits and a binary
   * fraction in the lower 32, rounded to the nearest nanosecond as Wireshark's reader does.
   */
  static long erfNs(long fixedPoint) {
    long seconds = fixedPoint >>> 32;
    long fraction = ((fixedPoint & 0xffffffffL) * NS_PER_S + (1L << 31)) >>> 32;
    return seconds * NS_PER_S + fraction;
  }
}
