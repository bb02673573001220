package org.lemurnn.trace;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lemurnn.InputException;

/**
 * The link a trace file was recorded on, as its name tells ({@code ..._C<Mbit/s>_L<base latency
 * ms>_Q<queue bytes>_...}) or as the user gives it.
 */
public record TraceLink(double capacityMbps, double baseLatencyMs, double queueBytes) {
  private static final Pattern NAME = Pattern.compile(
      "_C([0-9]+(?:\\.[0-9]+)?)_L([0-9]+(?:\\.[0-9]+)?)_Q([0-9]+(?:\\.[0-9]+)?)(?:_|\\.|$)");

  /** Slowest link of physical sense: 1 kbit/s (a 1,500-byte packet takes 12 s). */
  public static final double MIN_CAPACITY_MBPS = 0.001;
  /** Fastest: 10 Tbit/s, beyond any single link today. */
  public static final double MAX_CAPACITY_MBPS = 1e7;
  /** Longest base latency: 100 s, beyond a round trip to the moon (2.6 s) many times over. */
  public static final double MAX_BASE_LATENCY_MS = 100_000;
  /** Largest queue: 10 GByte, more than any router buffers. */
  public static final double MAX_QUEUE_BYTES = 1e10;

  public TraceLink {
    if (!(capacityMbps > 0) || Double.isInfinite(capacityMbps)) {
      throw new IllegalArgumentException("capacity must be > 0 Mbit/s: " + capacityMbps);
    }
    if (capacityMbps < MIN_CAPACITY_MBPS || capacityMbps > MAX_CAPACITY_MBPS) {
      throw new IllegalArgumentException(
          "capacity " + capacityMbps + " Mbit/s is outside physical sense (" + MIN_CAPACITY_MBPS
              + " to " + (long) MAX_CAPACITY_MBPS + " Mbit/s)");
    }
    if (!(baseLatencyMs >= 0) || !(queueBytes >= 0)) {
      throw new IllegalArgumentException(
          "base latency and queue must be >= 0: " + baseLatencyMs + ", " + queueBytes);
    }
    if (baseLatencyMs > MAX_BASE_LATENCY_MS) {
      throw new IllegalArgumentException("base latency " + baseLatencyMs
          + " ms is outside physical sense (at most " + (long) MAX_BASE_LATENCY_MS + " ms)");
    }
    if (queueBytes > MAX_QUEUE_BYTES) {
      throw new IllegalArgumentException("queue " + queueBytes
          + " bytes is outside physical sense (at most " + (long) MAX_QUEUE_BYTES + " bytes)");
    }
  }

  /** What a measured trace's name carries in place of the link when the user did not say it. */
  private static final String UNKNOWN = "_Cunknown_Lunknown_Qunknown_";

  /** Reads the link from a file name such as {@code mgtrace_C7.5_L0_Q10950_1764000000_3.csv}. */
  public static TraceLink fromName(Path file) {
    if (file.getFileName().toString().contains(UNKNOWN)) {
      throw InputException.in(
          file,
          "the link of this measured trace is unknown (measured without --link): rename it, "
              + "putting the link you measured in place of " + UNKNOWN
              + " (..._C<Mbit/s>_L<ms>_Q<bytes>_...)");
    }
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.find()) {
      throw InputException.in(
          file,
          "the name does not carry the link (..._C<Mbit/s>_L<ms>_Q<bytes>_...): rename it so"
              + " that it does, e.g. mgtrace_C8_L0_Q20000_1.csv (forward --replay also takes the"
              + " link as -c, -q and --base_latency)");
    }
    try {
      return new TraceLink(
          Double.parseDouble(m.group(1)),
          Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3)));
    } catch (IllegalArgumentException e) {
      // the name matches but carries an impossible link (capacity 0): say which file
      throw InputException.in(file, e.getMessage() + ": rename it or give the link explicitly");
    }
  }

  /**
   * The longest name a trace may have: Linux allows 255 bytes (NAME_MAX) and
   * {@link org.lemurnn.io.AtomicFile} writes beside it a temporary {@code .<name><up to 20
   * digits>.tmp}.
   */
  public static final int MAX_FILE_NAME_BYTES = 255 - 1 - 20 - 4;

  /**
   * The name {@code generate} gives a file: {@code mgtrace_C<c>_L<l>_Q<q>_<unix time>_<n>.csv}.
   *
   * @throws IllegalArgumentException when the numbers make a name longer than
   *     {@link #MAX_FILE_NAME_BYTES} (a base latency of 5e-324 ms is 330 digits written out)
   */
  public String fileName(long unixTime, int n) {
    String name = "mgtrace_C" + plain(capacityMbps) + "_L" + plain(baseLatencyMs) + "_Q"
        + plain(queueBytes) + "_" + unixTime + "_" + n + ".csv";
    if (name.length() > MAX_FILE_NAME_BYTES) {
      throw new IllegalArgumentException("the link " + capacityMbps + "," + baseLatencyMs + ","
          + queueBytes + " makes a trace file name of " + name.length()
          + " bytes, more than the " + MAX_FILE_NAME_BYTES
          + " a file system leaves (255 with its temporary twin): round the numbers");
    }
    return name;
  }

  /**
   * The name of a measured trace whose link the user did not give:
   * {@code mgtrace_Cunknown_Lunknown_Qunknown_<unix time>_<n>.csv}, which {@link #fromName} refuses
   * until the user renames it with the link.
   */
  public static String unknownFileName(long unixTime, int n) {
    return "mgtrace" + UNKNOWN + unixTime + "_" + n + ".csv";
  }

  // shortest exact decimal, never in exponent form, without a trailing ".0"
  private static String plain(double v) {
    String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return s;
  }
}
