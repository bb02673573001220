package org.lemurnn.measure;

import java.util.Arrays;

/**
 * What the server received in a run, as it came: each datagram that named the run, with its
 * sequence number, the kernel's receive time (CLOCK_REALTIME nanoseconds), and the send time, frame
 * size and tag it carried. Nothing is checked here, so the receiving thread stays as cheap as a
 * copy; {@link ProbeJoin} checks the tags and takes each probe's first genuine arrival. It grows
 * with what arrives, never with what a client announced, up to {@link #capacity} datagrams (the
 * run's probes, a quarter more for the copies a link makes, and 1,024): a flood that names the run
 * beyond that is counted in {@link #overflow}, not kept. Written by one receiving thread, read by
 * the joining thread after {@link #seal}: the methods are synchronized so the hand-over is safe.
 */
public final class ReceiveLog {
  private final int packets;
  private final int capacity;
  private int[] sequence = new int[64];
  private long[] receiveNs = new long[64];
  private long[] sendNs = new long[64];
  private int[] frameBytes = new int[64];
  private int[] tag = new int[64];
  private int n;
  private long overflow, outOfRange;
  private boolean sealed;

  /** A log for a run of {@code packets} probes, sequence numbers 0 to packets - 1. */
  public ReceiveLog(int packets) {
    if (packets < 0) throw new IllegalArgumentException("packets must be >= 0, got " + packets);
    this.packets = packets;
    this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, packets + packets / 4L + 1024);
  }

  /**
   * Keeps a datagram of the run unless its sequence number is out of range, the log is full or
   * sealed; says whether it kept it.
   */
  public synchronized boolean add(int seq, long rxNs, long txNs, int frame, int probeTag) {
    if (sealed) return false;
    if (seq < 0 || seq >= packets) {
      outOfRange++;
      return false;
    }
    if (n == capacity) {
      overflow++;
      return false;
    }
    if (n == sequence.length) {
      int m = (int) Math.min(capacity, 2L * n);
      sequence = Arrays.copyOf(sequence, m);
      receiveNs = Arrays.copyOf(receiveNs, m);
      sendNs = Arrays.copyOf(sendNs, m);
      frameBytes = Arrays.copyOf(frameBytes, m);
      tag = Arrays.copyOf(tag, m);
    }
    sequence[n] = seq;
    receiveNs[n] = rxNs;
    sendNs[n] = txNs;
    frameBytes[n] = frame;
    tag[n] = probeTag;
    n++;
    return true;
  }

  /** {@link #add(int, long, long, int, int)} without a tag (for joins that check none). */
  public boolean add(int seq, long rxNs, long txNs, int frame) {
    return add(seq, rxNs, txNs, frame, 0);
  }

  /**
   * Takes no more datagrams and orders those it has by sequence number, in arrival order within a
   * number, for the join.
   */
  public synchronized void seal() {
    if (sealed) return;
    sealed = true;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) order[i] = (long) sequence[i] << 32 | i;
    Arrays.sort(order);
    sequence = permuted(sequence, order);
    frameBytes = permuted(frameBytes, order);
    tag = permuted(tag, order);
    receiveNs = permuted(receiveNs, order);
    sendNs = permuted(sendNs, order);
  }

  private int[] permuted(int[] a, long[] order) {
    int[] b = new int[n];
    for (int k = 0; k < n; k++) b[k] = a[(int) order[k]];
    return b;
  }

  private long[] permuted(long[] a, long[] order) {
    long[] b = new long[n];
    for (int k = 0; k < n; k++) b[k] = a[(int) order[k]];
    return b;
  }

  /** The most datagrams the log keeps. */
  public int capacity() {
    return capacity;
  }

  /** Datagrams of the run that came when the log was full. */
  public synchronized long overflow() {
    return overflow;
  }

  /** Datagrams that named the run with a sequence number it does not have. */
  public synchronized long outOfRange() {
    return outOfRange;
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

  public synchronized int tag(int i) {
    return tag[i];
  }
}
