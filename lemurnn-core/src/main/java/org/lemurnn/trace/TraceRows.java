package org.lemurnn.trace;

/**
 * The rows of a trace file in the original's format, one entry per packet. Times are epoch
 * nanoseconds, so microsecond-or-better precision survives (a double of epoch seconds keeps only
 * about 0.2 us).
 *
 * @param receiveNs 0 for a dropped packet
 * @param latencyNs 0 for a dropped packet
 */
public record TraceRows(
    long[] packetNumber,
    int[] sizeBytes,
    long[] transmitNs,
    long[] receiveNs,
    long[] latencyNs,
    boolean[] dropped) {
  public TraceRows {
    int n = packetNumber.length;
    if (sizeBytes.length != n
        || transmitNs.length != n
        || receiveNs.length != n
        || latencyNs.length != n
        || dropped.length != n) {
      throw new IllegalArgumentException("trace columns differ in length");
    }
  }

  public int length() {
    return packetNumber.length;
  }
}
