package org.lemurnn.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.lemurnn.InputException;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceRows;

/**
 * Joins a run's send log, row by row as it streams in, with what the server received, into trace
 * rows. Every number of the log is checked before it becomes a row: a frame size a probe can have,
 * a send time within the run and never going back, and, for a probe that arrived, the send time and
 * size its datagram carried. A datagram counts only when its tag checks out ({@link Genuine}); the
 * others are counted as forged and ignored, never joined. The log's row k is probe k, so a sequence
 * number cannot come twice; of the datagrams of one number, the first genuine one is the arrival
 * (later copies are the link's duplicates, or replays).
 */
public final class ProbeJoin {
  /** Whether a datagram's tag is the one its run's key gives. */
  @FunctionalInterface
  public interface Genuine {
    boolean check(int seq, long txNs, int frameBytes, int tag);

    /** For arrivals whose tags nobody checks (tests, logs from a trusted source). */
    Genuine ANY = (seq, txNs, frameBytes, tag) -> true;
  }

  private final ReceiveLog arrivals;
  private final long earliestNs, latestNs;
  private final Genuine genuine;
  private final TraceSummary.Builder summary = new TraceSummary.Builder();
  private int next; // the next arrival, in sequence order
  private int seq; // the next log row
  private long previousNs = Long.MIN_VALUE;
  private long forged;

  /**
   * @param arrivals the run's arrivals (sealed here)
   * @param earliestNs the earliest send time the run can have (its start, less the clock's slack)
   * @param latestNs the latest (the last send time the client announced)
   * @param genuine the tag check
   */
  public ProbeJoin(ReceiveLog arrivals, long earliestNs, long latestNs, Genuine genuine) {
    arrivals.seal();
    this.arrivals = arrivals;
    this.earliestNs = earliestNs;
    this.latestNs = latestNs;
    this.genuine = genuine;
  }

  /**
   * Checks and joins the next row of the send log: probe {@code rows so far}, sent at {@code txNs}
   * as a frame of {@code frameBytes}; hands its trace row (packet number = sequence + 1) to
   * {@code sink}. A probe never received is a drop.
   *
   * @throws InputException naming the probe, when a number is impossible or a probe arrived before
   *     it was sent (the two ends do not share a clock)
   */
  public void row(long txNs, int frameBytes, TraceFile.RowSink sink) throws IOException {
    int k = seq++;
    if (frameBytes < ProbeDatagram.MIN_FRAME_BYTES || frameBytes > ProbeDatagram.MAX_FRAME_BYTES) {
      throw refused(
          k,
          "frame size " + frameBytes + " bytes is not a probe's (" + ProbeDatagram.MIN_FRAME_BYTES
              + " to " + ProbeDatagram.MAX_FRAME_BYTES + ")");
    }
    if (txNs < earliestNs || txNs > latestNs) {
      throw refused(
          k,
          "send time " + txNs + " ns is outside the run (" + earliestNs + " to " + latestNs
              + " ns since 1970, the last being the last send time the client announced)");
    }
    if (txNs < previousNs) {
      throw refused(
          k,
          "send time " + txNs + " ns goes back " + (previousNs - txNs)
              + " ns from the probe before it");
    }
    previousNs = txNs;
    int arrival = -1;
    for (int m = arrivals.length(); next < m && arrivals.sequence(next) <= k; next++) {
      // every copy is checked, so that forgeries are counted however they came
      int i = next;
      if (!genuine.check(k, arrivals.sendNs(i), arrivals.frameBytes(i), arrivals.tag(i))) forged++;
      else if (arrival < 0) arrival = i;
    }
    if (arrival >= 0) {
      long rxNs = arrivals.receiveNs(arrival);
      if (arrivals.sendNs(arrival) != txNs || arrivals.frameBytes(arrival) != frameBytes) {
        throw refused(
            k,
            "its datagram says it left at " + arrivals.sendNs(arrival) + " ns as "
                + arrivals.frameBytes(arrival) + " bytes, the log says " + txNs + " ns and "
                + frameBytes
                + " bytes");
      }
      if (rxNs < txNs) {
        throw new InputException(String.format(
            Locale.ROOT,
            "probe %d arrived %.3f ms before it was sent: the two ends do not share a clock. Run client and "
                + "server on one host (two network namespaces or two interfaces) or on hosts synchronised by PTP",
            k + 1,
            (txNs - rxNs) / 1e6));
      }
      summary.add(rxNs - txNs, false);
      sink.row(k + 1L, frameBytes, txNs, rxNs, rxNs - txNs, false);
    } else {
      summary.add(0, true);
      sink.row(k + 1L, frameBytes, txNs, 0, 0, true);
    }
  }

  /**
   * Datagrams that failed the tag check, or named a probe the log does not have (counted once the
   * rows up to their number are joined; {@link #finish} counts the rest).
   */
  public long forged() {
    return forged;
  }

  /** After the last row: the datagrams that named probes beyond the log count as forged. */
  public void finish() {
    forged += arrivals.length() - next;
    next = arrivals.length();
  }

  private static InputException refused(int k, String why) {
    return new InputException("send log row " + (k + 1) + " (probe " + (k + 1) + "): " + why);
  }

  /** Packets, drops and latency of the rows so far. */
  public TraceSummary summary() {
    return summary.build();
  }

  /** Joins a whole send log held in memory (no bounds on the send times but >= 0). */
  public static TraceRows join(SendLog sent, ReceiveLog received) {
    int n = sent.sent();
    long[] number = new long[n];
    int[] size = new int[n];
    long[] tx = new long[n], rx = new long[n], latency = new long[n];
    boolean[] dropped = new boolean[n];
    ProbeJoin join = new ProbeJoin(received, 0, Long.MAX_VALUE, Genuine.ANY);
    int[] at = {0};
    try {
      for (int i = 0; i < n; i++) {
        join.row(
            sent.transmitNs()[i],
            sent.frameBytes()[i],
            (num, sizeBytes, txNs, rxNs, latencyNs, drop) -> {
              int j = at[0]++;
              number[j] = num;
              size[j] = sizeBytes;
              tx[j] = txNs;
              rx[j] = rxNs;
              latency[j] = latencyNs;
              dropped[j] = drop;
            });
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the sink above does no I/O
    }
    return new TraceRows(number, size, tx, rx, latency, dropped);
  }
}
