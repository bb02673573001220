package org.lemurnn.emulate;

/**
 * Real-time scheduling for threads outside the forwarder that must keep time with it, such as a
 * load generator: the forwarder's own RX and TX threads get theirs from {@link Forwarder.Settings}.
 */
public final class Realtime {
  private Realtime() {}

  /**
   * Puts the calling thread under SCHED_FIFO at {@code priority} (1 to 99).
   *
   * @return null, or why the kernel refused (not root and no RLIMIT_RTPRIO?)
   */
  public static String enter(int priority) {
    return Libc.realtime(priority);
  }
}
