package org.lemurnn.measure;

import java.util.Arrays;
import org.lemurnn.InputException;
import org.lemurnn.trace.TraceRows;

/** Joins a run's send and receive logs into trace rows. */
public final class ProbeJoin {
  private ProbeJoin() {}

  /**
   * One row per sent probe in send order (packet number = sequence + 1). The first arrival of a
   * sequence number is its receive time (later copies are duplicates the link made); a probe never
   * received is a drop; arrivals of numbers never sent are ignored.
   *
   * @throws InputException when a probe arrives before it left: the two ends do not share a clock
   */
  public static TraceRows join(SendLog sent, ReceiveLog received) {
    int n = sent.sent();
    long[] number = new long[n];
    int[] size = Arrays.copyOf(sent.frameBytes(), n);
    long[] tx = Arrays.copyOf(sent.transmitNs(), n);
    long[] rx = new long[n];
    long[] latency = new long[n];
    boolean[] dropped = new boolean[n];
    Arrays.fill(dropped, true);
    for (int i = 0; i < n; i++) number[i] = i + 1;
    for (int k = 0, m = received.length(); k < m; k++) {
      int seq = received.sequence(k);
      if (seq < 0 || seq >= n || !dropped[seq]) continue;
      long rxNs = received.receiveNs(k);
      if (rxNs < tx[seq]) {
        throw new InputException(String.format(
            java.util.Locale.ROOT,
            "probe %d arrived %.3f ms before it was sent: the two ends do not share a clock. Run client and "
                + "server on one host (two network namespaces or two interfaces) or on hosts synchronised by PTP",
            seq + 1,
            (tx[seq] - rxNs) / 1e6));
      }
      dropped[seq] = false;
      rx[seq] = rxNs;
      latency[seq] = rxNs - tx[seq];
    }
    return new TraceRows(number, size, tx, rx, latency, dropped);
  }
}
