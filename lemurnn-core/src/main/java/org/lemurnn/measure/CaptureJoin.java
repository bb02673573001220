package org.lemurnn.measure;

import java.util.HashMap;
import java.util.Map;
import org.lemurnn.InputException;

/**
 * Joins a capture taken before a link with one taken after it, row by row in send order, holding
 * only the packets sent within the last {@code gapNs} (the horizon): a packet not seen after the
 * link within the horizon is a drop, and an idle gap over {@code gapNs} on the sending side starts
 * a new experiment. Both captures are read as one stream in time order (the sent packet first on a
 * tie), so a received packet can only match one sent before it. Each received packet matches the
 * oldest sent packet with its {@link PacketKey} still waiting: its first sighting is its arrival;
 * copies after that and packets never sent are ignored. Non-IP packets take no part.
 */
public final class CaptureJoin {
  private final Side sent, received;
  private final long gapNs;
  // the window: packets sent and not yet handed out, ring-indexed by their absolute position
  private long head, tail;
  private long[] hash = new long[1024],
      txNs = new long[1024],
      rxNs = new long[1024],
      nextSame = new long[1024];
  private int[] size = new int[1024], experimentOf = new int[1024];
  private boolean[] matched = new boolean[1024];
  /** hash -> position of the oldest waiting sent packet with it */
  private final Map<Long, Long> waiting = new HashMap<>();

  private int experiment;
  private long lastSentNs = Long.MIN_VALUE;
  private long matches;
  private long numberInExperiment;
  private int rowExperiment = -1;

  // the current row
  private long rowNumber, rowTxNs, rowRxNs;
  private int rowBytes;
  private boolean rowDropped;

  public CaptureJoin(CaptureReader sent, CaptureReader received, long gapNs) {
    if (gapNs <= 0) throw new IllegalArgumentException("--gap_s must be > 0");
    this.sent = new Side(sent);
    this.received = new Side(received);
    this.gapNs = gapNs;
  }

  /** Moves to the next row; false when every sent packet has had its row. */
  public boolean next() {
    while (true) {
      if (head < tail) {
        int e = slot(head);
        if (matched[e] || received.done || received.timeNs - txNs[e] > gapNs) {
          emit(e);
          return true;
        }
      } else if (sent.done) {
        return false;
      }
      if (!sent.done && (received.done || sent.timeNs <= received.timeNs)) takeSent();
      else takeReceived();
    }
  }

  private void takeSent() {
    long t = sent.timeNs;
    if (t < lastSentNs) {
      throw InputException.in(
          sent.reader.file(),
          "packet " + sent.reader.packets()
              + " is earlier than the one before it: sort the capture by time (reordercap) and try again");
    }
    if (lastSentNs != Long.MIN_VALUE && t - lastSentNs > gapNs) experiment++;
    lastSentNs = t;
    if (tail - head == hash.length) grow();
    long position = tail++;
    int e = slot(position);
    hash[e] = sent.key.hash();
    txNs[e] = t;
    rxNs[e] = 0;
    size[e] = sent.key.frameBytes();
    experimentOf[e] = experiment;
    matched[e] = false;
    nextSame[e] = -1;
    Long first = waiting.putIfAbsent(hash[e], position);
    if (first != null) {
      // the same bytes sent again while the first copy waits: queue behind it (rare)
      long p = first;
      while (nextSame[slot(p)] >= 0) p = nextSame[slot(p)];
      nextSame[slot(p)] = position;
    }
    sent.advance();
  }

  private void takeReceived() {
    Long position = waiting.get(received.key.hash());
    if (position != null) {
      int e = slot(position);
      matched[e] = true;
      rxNs[e] = received.timeNs;
      matches++;
      unwait(e);
    }
    received.advance();
  }

  private void unwait(int e) {
    if (nextSame[e] >= 0) waiting.put(hash[e], nextSame[e]);
    else waiting.remove(hash[e]);
  }

  private void emit(int e) {
    if (!matched[e]) unwait(e);
    if (experimentOf[e] != rowExperiment) {
      rowExperiment = experimentOf[e];
      numberInExperiment = 0;
    }
    rowNumber = ++numberInExperiment;
    rowBytes = size[e];
    rowTxNs = txNs[e];
    rowRxNs = rxNs[e];
    rowDropped = !matched[e];
    head++;
  }

  private int slot(long position) {
    return (int) (position & (hash.length - 1));
  }

  private void grow() {
    int n = hash.length, m = n * 2;
    long[] h = new long[m], tx = new long[m], rx = new long[m], same = new long[m];
    int[] s = new int[m], x = new int[m];
    boolean[] mt = new boolean[m];
    for (long p = head; p < tail; p++) {
      int from = (int) (p & (n - 1)), to = (int) (p & (m - 1));
      h[to] = hash[from];
      tx[to] = txNs[from];
      rx[to] = rxNs[from];
      same[to] = nextSame[from];
      s[to] = size[from];
      x[to] = experimentOf[from];
      mt[to] = matched[from];
    }
    hash = h;
    txNs = tx;
    rxNs = rx;
    nextSame = same;
    size = s;
    experimentOf = x;
    matched = mt;
  }

  /** The current row's experiment, counting from 0; a new one after each idle gap. */
  public int experiment() {
    return rowExperiment;
  }

  /** The row's packet number in its experiment, counting from 1. */
  public long packetNumber() {
    return rowNumber;
  }

  public int frameBytes() {
    return rowBytes;
  }

  public long transmitNs() {
    return rowTxNs;
  }

  /** 0 for a drop. */
  public long receiveNs() {
    return rowRxNs;
  }

  public long latencyNs() {
    return rowDropped ? 0 : rowRxNs - rowTxNs;
  }

  public boolean dropped() {
    return rowDropped;
  }

  /** Received packets that matched a sent one so far. */
  public long matches() {
    return matches;
  }

  /** One capture: its next IP packet and that packet's key. */
  private static final class Side {
    final CaptureReader reader;
    final PacketKey key = new PacketKey();
    boolean done;
    long timeNs;

    Side(CaptureReader reader) {
      this.reader = reader;
      advance();
    }

    void advance() {
      while (reader.next()) {
        if (!PacketKey.supported(reader.linkType())) {
          throw InputException.in(
              reader.file(),
              "packet " + reader.packets() + " has link type " + reader.linkType()
                  + ", which pcap-to-trace does not read: capture on Ethernet or as Linux cooked (tcpdump -i any), "
                  + "or raw IP");
        }
        if (key.read(
            reader.linkType(), reader.data(), reader.dataOffset(), reader.capturedLength())) {
          timeNs = reader.timestampNs();
          return;
        }
      }
      done = true;
      timeNs = Long.MAX_VALUE;
    }
  }
}
