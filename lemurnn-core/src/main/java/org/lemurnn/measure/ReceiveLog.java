package org.lemurnn.measure;

import java.util.Arrays;

/**
 * What the server received in a run, in arrival order: sequence numbers as they came (reordered,
 * duplicated, some never) with the kernel's receive time of each (CLOCK_REALTIME nanoseconds).
 * Written by one receiving thread, read by the joining thread after the run: the methods are
 * synchronized so the hand-over is safe.
 */
public final class ReceiveLog {
  private int[] sequence = new int[1024];
  private long[] receiveNs = new long[1024];
  private int n;

  public synchronized void add(int seq, long rxNs) {
    if (n == sequence.length) {
      sequence = Arrays.copyOf(sequence, n * 2);
      receiveNs = Arrays.copyOf(receiveNs, n * 2);
    }
    sequence[n] = seq;
    receiveNs[n] = rxNs;
    n++;
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
}
