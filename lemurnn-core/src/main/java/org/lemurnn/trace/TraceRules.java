package org.lemurnn.trace;

import org.lemurnn.link.LinkPreset;

/**
 * The rules every row of a trace keeps, in file order: the ones {@link TraceFile#read} reads by and
 * {@link TraceFile#write} writes by, so that nothing written (by {@code pcap-to-trace}, the probe
 * server, {@code generate}, {@code forward}) is a file {@code train} would refuse. One instance per
 * file: it remembers the previous row.
 *
 * <ul>
 *   <li>packet numbers are at least 1 and increase;
 *   <li>sizes are whole bytes from 1 to {@link LinkPreset#MAX_PACKET_BYTES} (the largest IP
 *       packet);
 *   <li>times are epoch nanoseconds, never negative; transmit times never go back;
 *   <li>a dropped packet has receive time and latency 0;
 *   <li>a received packet arrives no earlier than it was sent, and its latency is receive -
 *       transmit time within {@link #CLOCK_ROUNDING_NS}.
 * </ul>
 */
public final class TraceRules {
  /**
   * How far a latency may differ from receive - transmit time: files print times rounded (the
   * reference traces to 0.1 us, which leaves up to 0.34 us between the three rounded columns).
   */
  public static final long CLOCK_ROUNDING_NS = 2_000;

  private boolean first = true;
  private long previousNumber, previousTransmitNs;

  /**
   * Checks the next row: null when it keeps every rule (and it becomes the previous row), else what
   * it breaks, in a sentence that names the columns but not the row (the caller knows whether that
   * is a line of a file or a packet being written).
   */
  public String violation(
      long packetNumber,
      long sizeBytes,
      long transmitNs,
      long receiveNs,
      long latencyNs,
      boolean dropped) {
    String broken = broken(packetNumber, sizeBytes, transmitNs, receiveNs, latencyNs, dropped);
    if (broken == null) {
      first = false;
      previousNumber = packetNumber;
      previousTransmitNs = transmitNs;
    }
    return broken;
  }

  private String broken(
      long number, long sizeBytes, long txNs, long rxNs, long latencyNs, boolean dropped) {
    if (number < 1) return "packet_number must be >= 1, got " + number;
    if (!first && number <= previousNumber) {
      return "packet_number " + number + " does not increase from the previous row's "
          + previousNumber + " (a duplicate or a row out of order)";
    }
    if (sizeBytes < 1 || sizeBytes > LinkPreset.MAX_PACKET_BYTES) {
      return "size must be a whole number of bytes from 1 to " + LinkPreset.MAX_PACKET_BYTES
          + " (the largest IP packet), got " + sizeBytes;
    }
    if (txNs < 0) return "transmit_time must be >= 0, got " + seconds(txNs);
    if (rxNs < 0) return "receive_time must be >= 0, got " + seconds(rxNs);
    if (latencyNs < 0) return "latency must be >= 0, got " + seconds(latencyNs);
    if (!first && txNs < previousTransmitNs) {
      return "transmit_time " + seconds(txNs) + " goes back in time from the previous row's "
          + seconds(previousTransmitNs);
    }
    if (dropped) {
      if (rxNs != 0 || latencyNs != 0) {
        return "a dropped packet (dropped_status 1) must have receive_time and latency 0, got "
            + seconds(rxNs) + " and " + seconds(latencyNs);
      }
      return null;
    }
    if (rxNs < txNs) {
      return "receive_time " + seconds(rxNs) + " is before transmit_time " + seconds(txNs)
          + " (a dropped packet needs dropped_status 1)";
    }
    if (Math.abs(latencyNs - (rxNs - txNs)) > CLOCK_ROUNDING_NS) {
      return "latency " + seconds(latencyNs) + " s is not receive_time - transmit_time = "
          + seconds(rxNs - txNs) + " s";
    }
    return null;
  }

  /** Epoch nanoseconds as the file writes them: seconds with nine digits. */
  static String seconds(long ns) {
    return TraceFile.seconds(new StringBuilder(), ns).toString();
  }
}
