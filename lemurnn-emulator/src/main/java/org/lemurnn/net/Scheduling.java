package org.lemurnn.net;

/**
 * Real-time scheduling and precise sleeps for the threads that must keep time: the forwarder's RX
 * and TX threads, the probe's sender and receiver, a benchmark's load.
 */
public final class Scheduling {
  private Scheduling() {}

  /**
   * Puts the calling thread under SCHED_FIFO at {@code priority} (1 to 99), as the forwarder does
   * its RX and TX threads. Needs root (CAP_SYS_NICE) or a raised RLIMIT_RTPRIO.
   *
   * @return null, or why it was refused
   */
  public static String realtime(int priority) {
    return Libc.realtime(priority);
  }

  /**
   * Timed sleeps of the calling thread end within about a microsecond of their deadline (Linux
   * timer slack).
   */
  public static void preciseSleeps() {
    Libc.preciseSleeps();
  }
}
