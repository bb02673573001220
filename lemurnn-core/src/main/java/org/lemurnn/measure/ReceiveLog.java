package org.lemurnn.measure;

import java.util.Arrays;

/**
 * What the server received in a run: the first arrival of each sequence number of the run (later
 * copies are duplicates the link made, or replays) with the kernel's receive time (CLOCK_REALTIME
 * nanoseconds) and the send time and frame size the probe carried. It grows with what arrives,
 * never with what a client announced, and holds at most one entry per probe of the run, so a flood
 * of datagrams cannot make it grow past the run's size. Written by one receiving thread, read by
 * the joining thread after {@link #seal}: the methods are synchronized so the hand-over is safe.
 */
public final class ReceiveLog {
  private final int packets;
  private long[] seen = new long[0]; // one bit per sequence number, grown to the highest seen
  private int[] sequence = new int[64];
  private long[] receiveNs = new long[64];
  private long[] sendNs = new long[64];
  private int[] frameBytes = new int[64];
  private int n;
  private boolean sealed;

  /** A log for a run of {@code packets} probes, sequence numbers 0 to packets - 1. */
  public ReceiveLog(int packets) {
    if (packets < 0) throw new IllegalArgumentException("packets must be >= 0, got " + packets);
    this.packets = packets;
  }

  /**
   * Keeps the arrival of {@code seq} unless it is out of the run's range, a later copy, or the log
   * is sealed; says whether it kept it.
   */
  public synchronized boolean add(int seq, long rxNs, long txNs, int frame) {
    if (sealed || seq < 0 || seq >= packets) return false;
    int word = seq >>> 6;
    if (word >= seen.length)
      seen =
          Arrays.copyOf(seen, Math.min((packets + 63) >>> 6, Math.max(word + 1, 2 * seen.length)));
    long bit = 1L << seq;
    if ((seen[word] & bit) != 0) return false;
    seen[word] |= bit;
    if (n == sequence.length) {
      int m = (int) Math.min(packets, 2L * n);
      sequence = Arrays.copyOf(sequence, m);
      receiveNs = Arrays.copyOf(receiveNs, m);
      sendNs = Arrays.copyOf(sendNs, m);
      frameBytes = Arrays.copyOf(frameBytes, m);
    }
    sequence[n] = seq;
    receiveNs[n] = rxNs;
    sendNs[n] = txNs;
    frameBytes[n] = frame;
    n++;
    return true;
  }

  /** Takes no more arrivals and orders those it has by sequence number, for the join. */
  public synchronized void seal() {
    if (sealed) return;
    sealed = true;
    seen = null;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) order[i] = (long) sequence[i] << 32 | i;
    Arrays.sort(order);
    int[] seq = new int[n];
    long[] rx = new long[n], tx = new long[n];
    int[] frame = new int[n];
    for (int k = 0; k < n; k++) {
      int i = (int) order[k];
      seq[k] = sequence[i];
      rx[k] = receiveNs[i];
      tx[k] = sendNs[i];
      frame[k] = frameBytes[i];
    }
    sequence = seq;
    receiveNs = rx;
    sendNs = tx;
    frameBytes = frame;
  }

  public synchronized int length() {
    return n;
  }

  public synchronized int sequence(int i) {
    return sequence[i];
  }

  public synchronized long receiveNs(int i) {
    return receiveNs[i];
  }

  public synchronized long sendNs(int i) {
    return sendNs[i];
  }

  public synchronized int frameBytes(int i) {
    return frameBytes[i];
  }
}
