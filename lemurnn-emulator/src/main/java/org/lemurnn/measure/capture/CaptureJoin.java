package org.lemurnn.measure.capture;

import java.util.HashMap;
import java.util.Locale;
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
  /**
   * hash -> the oldest and newest waiting sent packets with it; the ones between are linked by
   * {@code nextSame}, so identical packets cost O(1) each however many wait
   */
  private final Map<Long, Chain> waiting = new HashMap<>();

  private static final class Chain {
    long first, last;

    Chain(long position) {
      first = last = position;
    }
  }

  private int experiment;
  private long lastSentNs = Long.MIN_VALUE;
  private long matches;
  private long numberInExperiment;
  private int rowExperiment = -1;

  // the current row
  private long rowNumber, rowTxNs, rowRxNs;
  private int rowBytes;
  private boolean rowDropped;

  /** Joins every packet of two captures. */
  public CaptureJoin(CaptureReader sent, CaptureReader received, long gapNs) {
    this(sent, Side.EVERY_INTERFACE, received, Side.EVERY_INTERFACE, gapNs);
  }

  /**
   * Joins the packets of one interface of each capture ({@link CaptureReader#interfaceId()}; -1 for
   * every interface): the two may be the same file, read by two readers.
   */
  public CaptureJoin(
      CaptureReader sent,
      int sentInterface,
      CaptureReader received,
      int receivedInterface,
      long gapNs) {
    if (gapNs <= 0) throw new IllegalArgumentException("--gap_s must be > 0");
    this.sent = new Side(sent, sentInterface);
    this.received = new Side(received, receivedInterface);
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
    Chain same = waiting.get(hash[e]);
    if (same == null) {
      waiting.put(hash[e], new Chain(position));
    } else {
      // the same bytes sent again while the first copy waits: queue behind the newest copy
      nextSame[slot(same.last)] = position;
      same.last = position;
    }
    sent.advance();
  }

  private void takeReceived() {
    Chain same = waiting.get(received.key.hash());
    if (same != null) {
      int e = slot(same.first);
      matched[e] = true;
      rxNs[e] = received.timeNs;
      matches++;
      unwait(e);
    }
    received.advance();
  }

  /** Takes the packet in slot e, the oldest waiting with its hash, off its chain. */
  private void unwait(int e) {
    if (nextSame[e] >= 0) waiting.get(hash[e]).first = nextSame[e];
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

  /**
   * One side: its next IP packet and that packet's key. Its packets must come in time order, as
   * every capture tool writes them: one earlier than the one before it is refused, naming it (the
   * join would otherwise give negative latencies or lose matches).
   */
  private static final class Side {
    static final int EVERY_INTERFACE = -1;
    final CaptureReader reader;
    final int interfaceId;
    final PacketKey key = new PacketKey();
    boolean done;
    long timeNs = Long.MIN_VALUE;
    long previousPacket;

    Side(CaptureReader reader, int interfaceId) {
      this.reader = reader;
      this.interfaceId = interfaceId;
      advance();
    }

    void advance() {
      while (reader.next()) {
        if (interfaceId != EVERY_INTERFACE && reader.interfaceId() != interfaceId) continue;
        if (reader.linkType() < 0) continue; // an ERF record that holds no packet
        long t = reader.timestampNs();
        if (t < timeNs) {
          throw InputException.in(
              reader.file(),
              String.format(
                  Locale.ROOT,
                  "packet %d is %.6f s earlier than packet %d before it on %s: the capture goes back in"
                      + " time; sort it by time (reordercap) and try again",
                  reader.packets(),
                  (timeNs - t) / 1e9,
                  previousPacket,
                  interfaceId == EVERY_INTERFACE ? "its side" : "interface " + interfaceId));
        }
        timeNs = t;
        previousPacket = reader.packets();
        if (!PacketKey.supported(reader.linkType())) {
          throw InputException.in(
              reader.file(),
              "packet " + reader.packets() + " has link type " + reader.linkType()
                  + ", which pcap-to-trace does not read: capture on Ethernet or as Linux cooked (tcpdump -i any), "
                  + "or raw IP");
        }
        if (key.read(
            reader.linkType(),
            reader.data(),
            reader.dataOffset(),
            reader.capturedLength(),
            reader.originalLength())) {
          return;
        }
      }
      done = true;
      timeNs = Long.MAX_VALUE;
    }
  }
}
